import type { PickerItem } from './RuntimePicker.js';

/**
 * Asks in the terminal which items to keep; resolves to the chosen values, or
 * undefined when the user cancels. Ink and React load only here, on demand.
 * `env` is the caller's: NO_COLOR there turns the colours off.
 */
export async function pickInTerminal(
  title: string,
  items: readonly PickerItem[],
  env: NodeJS.ProcessEnv,
): Promise<string[] | undefined> {
  const [{ render }, { createElement }, { RuntimePicker }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./RuntimePicker.js'),
  ]);
  let result: string[] | undefined;
  const app = render(
    createElement(RuntimePicker, {
      title,
      items,
      color: !env.NO_COLOR,
      onSubmit: (values: string[]) => {
        result = values;
      },
      onCancel: () => {
        result = undefined;
      },
    }),
  );
  await app.waitUntilExit();
  return result;
}
