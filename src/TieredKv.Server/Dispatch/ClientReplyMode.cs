namespace TieredKv.Server.Dispatch;

/// <summary>CLIENT REPLY's modes, as Redis's CLIENT_REPLY_OFF / SKIP_NEXT / SKIP flags.</summary>
internal enum ClientReplyMode
{
    /// <summary>Replies are sent.</summary>
    On,

    /// <summary>No reply is sent until CLIENT REPLY ON.</summary>
    Off,

    /// <summary>Set by CLIENT REPLY SKIP: the next command's reply is dropped.</summary>
    SkipNext,

    /// <summary>The reply of the command now running is dropped.</summary>
    Skip,
}
