namespace TieredKv;

/// <summary>Which fields HSETEX requires to exist before it sets any.</summary>
public enum HashFieldSetCondition
{
    Always,

    /// <summary>FNX: none of the fields exists.</summary>
    NoneExist,

    /// <summary>FXX: every field exists.</summary>
    AllExist,
}
