import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useReducer } from 'react';

export interface PickerItem {
  /** What onSubmit reports: "node". */
  value: string;
  /** First column: "node 22". */
  label: string;
  /** Dimmed detail: "from .nvmrc". */
  hint?: string;
  /** A heading shown above the first item of each section ("Runtimes", "Services"). */
  section?: string;
}

export interface RuntimePickerProps {
  title: string;
  items: readonly PickerItem[];
  /** Values checked at the start (default: all). */
  initial?: readonly string[];
  onSubmit: (values: string[]) => void;
  onCancel: () => void;
  /** NO_COLOR: marks and the cursor stay, colour goes. */
  color?: boolean;
}

/**
 * A small multi-select: up/down (or k/j) move, space toggles, a toggles all,
 * enter confirms, esc or q cancels. The plain-text twin is `poly init --yes`,
 * which takes every item.
 */
interface PickerState {
  cursor: number;
  checked: ReadonlySet<string>;
  done?: 'submit' | 'cancel';
}

type PickerAction = 'up' | 'down' | 'toggle' | 'all' | 'submit' | 'cancel';

/** Pure: keys come in faster than React re-renders, so every step works on the latest state. */
export function pickerReducer(items: readonly PickerItem[]) {
  return (state: PickerState, action: PickerAction): PickerState => {
    if (state.done) return state;
    const n = items.length;
    switch (action) {
      case 'up':
        return { ...state, cursor: (state.cursor + n - 1) % n };
      case 'down':
        return { ...state, cursor: (state.cursor + 1) % n };
      case 'toggle': {
        const value = items[state.cursor]?.value;
        if (value === undefined) return state;
        const checked = new Set(state.checked);
        if (checked.has(value)) checked.delete(value);
        else checked.add(value);
        return { ...state, checked };
      }
      case 'all':
        return { ...state, checked: new Set(state.checked.size === n ? [] : items.map((i) => i.value)) };
      default:
        return { ...state, done: action };
    }
  };
}

export function RuntimePicker({
  title,
  items,
  initial,
  onSubmit,
  onCancel,
  color = true,
}: RuntimePickerProps) {
  const { exit } = useApp();
  const [state, dispatch] = useReducer(pickerReducer(items), undefined, () => ({
    cursor: 0,
    checked: new Set(initial ?? items.map((i) => i.value)),
  }));

  useInput((input, key) => {
    if (key.upArrow || input === 'k') dispatch('up');
    else if (key.downArrow || input === 'j') dispatch('down');
    else if (input === ' ') dispatch('toggle');
    else if (input === 'a') dispatch('all');
    else if (key.return) dispatch('submit');
    else if (key.escape || input === 'q') dispatch('cancel');
  });

  useEffect(() => {
    if (!state.done) return;
    if (state.done === 'submit')
      onSubmit(items.filter((i) => state.checked.has(i.value)).map((i) => i.value));
    else onCancel();
    exit();
  }, [state, items, onSubmit, onCancel, exit]);

  const width = Math.max(...items.map((i) => i.label.length));
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {items.map((item, index) => {
        const active = index === state.cursor;
        const mark = state.checked.has(item.value) ? '[x]' : '[ ]';
        const heading = item.section && item.section !== items[index - 1]?.section ? item.section : undefined;
        return (
          <Box key={item.value} flexDirection="column">
            {heading ? <Text bold>{heading}</Text> : null}
            <Text {...(color && active ? { color: 'cyan' } : {})}>
              {`${active ? '>' : ' '} ${mark} ${item.label.padEnd(width)}`}
              {item.hint ? <Text dimColor={color}>{`  ${item.hint}`}</Text> : null}
            </Text>
          </Box>
        );
      })}
      <Text dimColor={color}>space: toggle · a: all · enter: confirm · esc: cancel</Text>
    </Box>
  );
}
