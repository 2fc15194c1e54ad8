namespace TieredKv.Server.Scripting;

/// <summary>One function a library registered: its callback (a Lua registry reference), flags and description.</summary>
internal sealed record FunctionRegistration(string Name, int CallbackRef, ScriptFlags Flags, string? Description);

/// <summary>A loaded library (FUNCTION LOAD): its name, its whole code as given, and the functions it registered.</summary>
internal sealed record FunctionLibrary(string Name, byte[] Code, IReadOnlyList<FunctionRegistration> Functions);
