namespace Hoist.Remote;

/// <summary>
/// Bytes that follow a script on stdin (an upload's tar), sent only once the script says it is reading them:
/// a script that stops before (the lock is held) then never leaves the sender blocked on a full SSH window.
/// </summary>
internal sealed record Payload(Stream Data, Task Wanted);
