namespace Hoist.Deploy;

/// <summary>One complete release on a host, as its state report lists it.</summary>
internal sealed record ReleaseInfo(string Id, string Revision, bool Bad);
