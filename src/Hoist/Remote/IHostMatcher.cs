namespace Hoist.Remote;

/// <summary>The host field of a known_hosts line: a pattern list or a hashed name.</summary>
internal interface IHostMatcher
{
    /// <param name="name">The lookup name from <see cref="KnownHostsName.For"/>.</param>
    bool Matches(string name);
}
