import { NumberTable } from '../core/numberTable';
import { seededRandom } from '../core/random';
import { featuresOf } from './features';

/** One labelled training message. */
export interface Example<L extends string> {
  text: string;
  label: L;
}

/** Training settings; the defaults are what the bot uses (chosen by cross-validation on the training data). */
export interface TrainingOptions {
  epochs: number;
  /** Initial step size; it decays as 1 / (1 + step / examples). */
  learningRate: number;
  /** L2 penalty per step on the weights an example touches. */
  l2: number;
  /** Seed of the example order (a fixed shuffle per epoch, so training is deterministic). */
  seed: number;
  /** Weight of each example of a label in the loss (default 1): a heavier `other` makes the others rarer. */
  labelWeights?: Readonly<Record<string, number>>;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 12, learningRate: 0.8, l2: 1e-5, seed: 7 };

/**
 * A multinomial logistic regression over the features of language/features.ts, trained by stochastic gradient
 * descent in a seeded order: the same examples always give the same model. Features are interned (a
 * vocabulary of the training features' keys; unseen ones are ignored) and weighted 1/√n per message; the weights
 * live in one Float64Array (feature × label).
 */
export class Classifier<L extends string> {
  private constructor(
    readonly labels: readonly L[],
    private readonly locale: string,
    private readonly vocabulary: NumberTable,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  static train<L extends string>(
    examples: readonly Example<L>[],
    labels: readonly L[],
    locale: string,
    options: TrainingOptions = DEFAULT_TRAINING,
  ): Classifier<L> {
    const k = labels.length;
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    const vocabulary = new NumberTable();
    const rows: Int32Array[] = [];
    const targets: number[] = [];
    for (const example of examples) {
      const target = labelIndex.get(example.label);
      if (target === undefined) throw new Error(`unknown label "${example.label}" for ${locale}`);
      const features = featuresOf(example.text, locale);
      const row = new Int32Array(features.length);
      for (let f = 0; f < features.length; f += 1) {
        const key = features.keys[f]!;
        let id = vocabulary.get(key);
        if (id < 0) vocabulary.set(key, (id = vocabulary.size));
        row[f] = id;
      }
      rows.push(row);
      targets.push(target);
    }
    const labelWeights = labels.map((label) => options.labelWeights?.[label] ?? 1);
    const weights = new Float64Array(vocabulary.size * k);
    const bias = new Float64Array(k);
    const scores = new Float64Array(k);
    const order = rows.map((_, i) => i);
    const random = seededRandom(options.seed);
    let step = 0;
    for (let epoch = 0; epoch < options.epochs; epoch += 1) {
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
      }
      for (const index of order) {
        const row = rows[index] ?? new Int32Array();
        const target = targets[index] ?? 0;
        const value = row.length === 0 ? 0 : 1 / Math.sqrt(row.length);
        softmax(row, value, weights, bias, k, scores);
        const rate =
          ((labelWeights[target] ?? 1) * options.learningRate) / (1 + step / Math.max(1, rows.length));
        step += 1;
        const decay = 1 - rate * options.l2;
        for (let c = 0; c < k; c += 1) {
          const gradient = (scores[c] ?? 0) - (c === target ? 1 : 0);
          bias[c] = (bias[c] ?? 0) - rate * gradient;
          const delta = rate * gradient * value;
          for (const feature of row) {
            const at = feature * k + c;
            weights[at] = (weights[at] ?? 0) * decay - delta;
          }
        }
      }
    }
    return new Classifier(labels, locale, vocabulary, weights, bias);
  }

  /** The probability of each label for a message (in the order of {@link labels}) and how many of its words were seen in training. */
  probabilities(text: string): { scores: Float64Array; knownWords: number } {
    const features = featuresOf(text, this.locale);
    const ids = new Int32Array(features.length);
    let known = 0;
    let knownWords = 0;
    for (let f = 0; f < features.length; f += 1) {
      const id = this.vocabulary.get(features.keys[f]!);
      if (id < 0) continue;
      ids[known++] = id;
      knownWords += features.wordish[f]!;
    }
    const row = ids.subarray(0, known);
    const scores = new Float64Array(this.labels.length);
    softmax(
      row,
      row.length === 0 ? 0 : 1 / Math.sqrt(row.length),
      this.weights,
      this.bias,
      this.labels.length,
      scores,
    );
    return { scores, knownWords };
  }

  /** The most probable label and its probability, with the probabilities by label. */
  classify(text: string): {
    label: L;
    probability: number;
    probabilities: Record<L, number>;
    /** Word and stem features of the message seen in training (0: only character n-grams matched). */
    knownWords: number;
  } {
    const { scores, knownWords } = this.probabilities(text);
    let best = 0;
    for (let c = 1; c < scores.length; c += 1) if ((scores[c] ?? 0) > (scores[best] ?? 0)) best = c;
    const probabilities = {} as Record<L, number>;
    for (const [c, label] of this.labels.entries()) probabilities[label] = scores[c] ?? 0;
    return { label: this.labels[best] as L, probability: scores[best] ?? 0, probabilities, knownWords };
  }
}

/** Softmax of bias + Σ weights[feature] · value into `out`. */
function softmax(
  row: Int32Array,
  value: number,
  weights: Float64Array,
  bias: Float64Array,
  k: number,
  out: Float64Array,
): void {
  let max = -Infinity;
  for (let c = 0; c < k; c += 1) {
    let sum = bias[c] ?? 0;
    for (const feature of row) sum += (weights[feature * k + c] ?? 0) * value;
    out[c] = sum;
    if (sum > max) max = sum;
  }
  let total = 0;
  for (let c = 0; c < k; c += 1) {
    const e = Math.exp((out[c] ?? 0) - max);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < k; c += 1) out[c] = (out[c] ?? 0) / total;
}
