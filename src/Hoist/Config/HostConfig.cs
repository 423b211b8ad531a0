namespace Hoist.Config;

/// <summary>One target machine: an SSH address, or <c>local</c> for the deploying machine itself.</summary>
internal sealed record HostConfig(string Address, int Port, string User, bool IsLocal)
{
    public static HostConfig Local(string user) => new("local", 0, user, true);

    /// <summary>A stable identity, used for de-duplication and host-key lookups.</summary>
    public string Key => IsLocal ? "local" : $"{User}@{Address}:{Port}";

    /// <summary>How the host is named in output: as a person would type it.</summary>
    public string Display => IsLocal ? "local" : Port == 22 ? Address : $"{Address}:{Port}";
}
