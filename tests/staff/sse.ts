/** A minimal Server-Sent Events reader over fetch, for tests: yields the JSON of each `data:` line. */
export class EventStream {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  private constructor(
    readonly response: Response,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const abort = new AbortController();
    const response = await fetch(url, { headers, signal: abort.signal });
    if (!response.body) throw new Error('no response body');
    return new EventStream(response, response.body.getReader(), abort);
  }

  /** The next event whose data satisfies `predicate` (earlier ones are skipped). */
  async next<T>(predicate: (data: T) => boolean = () => true): Promise<T> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data) {
          const parsed = JSON.parse(data) as T;
          if (predicate(parsed)) return parsed;
        }
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) throw new Error('the event stream ended');
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  close(): void {
    this.abort.abort();
  }
}
