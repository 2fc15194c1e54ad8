using TieredKv.Server.Config;

namespace TieredKv.Server.Commands;

/// <summary>When a table entry's event fires, judged from the command's reply and the key's state before it ran.</summary>
internal enum KeyspaceEventCondition
{
    /// <summary>Whenever the command succeeded.</summary>
    Always,
    /// <summary>When the reply is not null, not an empty array and not an integer below 1.</summary>
    Changed,
    /// <summary>When the command succeeded on a key that existed before it ran.</summary>
    Existed,
}

/// <summary>One row of the keyspace-event table: the event a write command fires for its keys.</summary>
/// <param name="Event">The event name, e.g. "lpush".</param>
/// <param name="Class">The class letter's flag that enables it.</param>
/// <param name="When">When it fires.</param>
/// <param name="DelWhenEmptied">Also fire "del" when the key no longer exists afterwards (a collection emptied).</param>
/// <param name="FirstKeyOnly">Fire for the first key only (STORE commands: the destination).</param>
internal sealed record KeyspaceEventRule(string Event, KeyspaceEventFlags Class, KeyspaceEventCondition When = KeyspaceEventCondition.Always, bool DelWhenEmptied = false, bool FirstKeyOnly = false);
