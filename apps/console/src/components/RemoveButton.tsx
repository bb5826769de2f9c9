import { Button } from 'react-aria-components';

/** "Remove" in a table row; the label says what it removes, for screen readers. */
export function RemoveButton({ label, onPress }: { label: string; onPress: () => void }) {
  return (
    <Button className="button quiet" aria-label={label} onPress={onPress}>
      Remove
    </Button>
  );
}
