namespace TieredKv.Server.Dispatch;

/// <summary>
/// The argument indexes that are keys, from a spec's FirstKey/LastKey/Step (a negative last key counts
/// from the end). A struct with a struct enumerator: every write command walks it, so it allocates nothing.
/// </summary>
internal readonly struct KeyPositions
{
    private readonly int _first, _last, _step;

    private KeyPositions(int first, int last, int step) => (_first, _last, _step) = (first, last, step);

    public static KeyPositions Of(CommandSpec spec, int argCount)
    {
        if (spec.FirstKey <= 0 || spec.Step <= 0) return new KeyPositions(1, 0, 1); // no keys
        int last = spec.LastKey >= 0 ? spec.LastKey : argCount + spec.LastKey;
        return new KeyPositions(spec.FirstKey, Math.Min(last, argCount - 1), spec.Step);
    }

    public Enumerator GetEnumerator() => new(_first - _step, _last, _step);

    public struct Enumerator(int current, int last, int step)
    {
        private int _current = current;

        public readonly int Current => _current;

        public bool MoveNext()
        {
            _current += step;
            return _current <= last;
        }
    }
}
