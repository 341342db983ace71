import type { DialogInstance } from 'botbuilder-dialogs';
import type { z } from 'zod';

/**
 * The one idiom of the stateful dialogs (FaqDialog, FeedbackDialog): what the dialog waits for is a small
 * discriminated union kept as the instance state of the dialog, checked against its zod schema whenever it is
 * read (a stack saved by another version fails loudly instead of being misread) and replaced whole when written.
 * Each customer reply is then handled by the method of the step the state names.
 */
export class DialogState<S> {
  constructor(
    private readonly dialogId: string,
    private readonly schema: z.ZodType<S>,
  ) {}

  load(instance: DialogInstance | undefined): S {
    return this.schema.parse(instance?.state);
  }

  save(instance: DialogInstance | undefined, state: S): void {
    if (!instance) throw new Error(`${this.dialogId} has no active instance`);
    instance.state = state;
  }
}
