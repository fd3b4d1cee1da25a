/** "123 of 500 characters", and how far over when too long. Read out with the field it describes. */
export function CharacterCount({ count, limit }: { count: number; limit: number }) {
  const over = count - limit;
  return (
    <p className={over > 0 ? 'char-count char-count-over' : 'char-count'}>
      {count} of {limit} characters
      {over > 0 ? ` — ${over} too many` : ''}
    </p>
  );
}
