namespace Hoist.Remote;

using Hoist.Config;
using Hoist.Core;
using Renci.SshNet;

/// <summary>Offers a host the key exchanges of ssh.kex_algorithms, in that order, and no others.</summary>
internal static class KeyExchangeOrder
{
    public static void Apply(ConnectionInfo info, IReadOnlyList<string> order)
    {
        var offered = info.KeyExchangeAlgorithms;
        var missing = order.Where(name => !offered.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            // Only when the SSH library dropped one Hoist lists (a test pins every name to the library in use).
            throw new HoistException($"the SSH library in this build of hoist has no key exchange {string.Join(", ", missing)}; remove it from ssh.kex_algorithms");
        }

        var chosen = order.Select(name => (Name: name, Create: offered[name])).ToList();
        offered.Clear();
        foreach (var (name, create) in chosen)
        {
            offered.Add(name, create);
        }
    }

    /// <summary>The wording for a host that shares none of them: what each side offers and the key to change.</summary>
    public static string NoneShared(IReadOnlyList<string> order, string? hostOffer) =>
        $"the host accepts none of the key exchanges offered ({string.Join(", ", order)}); " +
        $"add one it accepts to ssh.kex_algorithms ({(hostOffer is null ? "its sshd_config's KexAlgorithms says which" : $"the host offers {hostOffer}")})";
}
