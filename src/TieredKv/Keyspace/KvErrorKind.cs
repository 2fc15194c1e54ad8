namespace TieredKv.Keyspace;

/// <summary>Why a library operation refused: the server maps each kind to Redis's error text.</summary>
public enum KvErrorKind
{
    /// <summary>An older error whose message already is Redis's reply text.</summary>
    Protocol,

    /// <summary>The key holds a value of another type.</summary>
    WrongType,

    /// <summary>A stored value or an argument is not a 64-bit integer.</summary>
    NotAnInteger,

    /// <summary>A stored value or an argument is not a float.</summary>
    NotAFloat,

    /// <summary>An argument outside its allowed range; the message names the argument and the range.</summary>
    OutOfRange,

    /// <summary>An arithmetic result does not fit its type.</summary>
    Overflow,

    /// <summary>An arithmetic result would be NaN or infinite.</summary>
    NotANumber,

    /// <summary>A string would exceed the maximum string size (512 MB).</summary>
    TooLarge,

    /// <summary>A combination of options that is not allowed.</summary>
    Syntax,

    /// <summary>A string that is not in the HyperLogLog format where one was expected.</summary>
    InvalidHll,

    /// <summary>A HyperLogLog string whose registers are corrupted.</summary>
    CorruptedHll,

    /// <summary>A longitude/latitude pair outside the range geohashes cover.</summary>
    InvalidCoordinates,

    /// <summary>A member named as a search centre is not in the geo set.</summary>
    NoSuchMember,

    /// <summary>A key that must hold a string holds another type (LCS).</summary>
    NotAString,
}
