namespace Hoist.Setup;

using System.Globalization;
using System.Net;
using System.Text;
using Hoist.Config;

/// <summary>
/// The nftables rules of one host (setup.firewall), as the file <c>nft -f</c> loads: hoist's own table, <c>inet
/// hoist</c>, declared, deleted and written whole in one file, so that loading it replaces the table atomically and
/// leaves every other table (the user's, Debian's) as it was. Its input chain drops what it does not name: replies
/// and loopback pass, the ICMP that IPv4 and IPv6 need (IPv6's neighbour discovery), the SSH port hoist connects on
/// for that host, and per role: web, nginx's port and 443 (from the lb hosts only when there are some: clients go
/// through the lb); db, PostgreSQL's port from setup.database.allow_from; lb, nginx's port and 443.
/// </summary>
internal static class FirewallRules
{
    public const string Table = "inet hoist";

    public const int Https = 443;

    /// <summary>The rules for <paramref name="host"/>, by the roles it has among web, db (with setup.database) and lb.</summary>
    public static string Render(HoistConfig config, HostConfig host)
    {
        var setup = config.Setup!;
        bool Has(string role) => config.Roles.Any(r => r.Name == role && r.Hosts.Any(h => h.Key == host.Key));
        var nginx = Ports(setup.Nginx.Listen, Https);
        var lbs = LbRole.Hosts(config).Select(h => h.Address).ToList();
        var roles = new List<string>();
        var text = new StringBuilder();
        var rules = new StringBuilder();
        void Rule(string line) => rules.Append("\t\t").Append(line).Append('\n');

        Rule($"tcp dport {host.Port.ToString(CultureInfo.InvariantCulture)} accept comment \"ssh: the port hoist connects on\"");
        if (Has("web"))
        {
            roles.Add("web");
            if (lbs.Count == 0)
            {
                Rule($"tcp dport {nginx} accept comment \"web: nginx\"");
            }
            else
            {
                foreach (var from in From(lbs))
                {
                    Rule($"{from} tcp dport {nginx} accept comment \"web: nginx, from the lb hosts only\"");
                }
            }
        }

        if (Has("db") && setup.Database is { } db)
        {
            roles.Add("db");
            foreach (var from in From(db.AllowFrom))
            {
                Rule($"{from} tcp dport {db.Port.ToString(CultureInfo.InvariantCulture)} accept comment \"db: PostgreSQL, from setup.database.allow_from\"");
            }
        }

        if (Has(LbRole.Name))
        {
            roles.Add(LbRole.Name);
            Rule($"tcp dport {nginx} accept comment \"lb: nginx\"");
        }

        text.Append($"# The firewall of {host.Display} ({string.Join(", ", roles)}) for {config.App}, written by `hoist setup`: edit hoist.yml (setup.firewall, hosts), not this file.\n");
        text.Append("# Loading it replaces the table inet hoist whole (declared, deleted, written anew in one transaction); other tables are left alone.\n");
        text.Append($"table {Table}\n");
        text.Append($"delete table {Table}\n");
        text.Append($"table {Table} {{\n");
        text.Append("\tchain input {\n");
        text.Append("\t\ttype filter hook input priority filter; policy drop;\n");
        text.Append("\t\tct state established,related accept\n");
        text.Append("\t\tiif \"lo\" accept\n");
        // By type, not protocol name: nft resolves names through /etc/protocols, which a minimal Debian (no netbase) lacks.
        // Before the invalid drop: conntrack does not track all of them, and IPv6 does not work without neighbour discovery.
        text.Append("\t\ticmp type { echo-request, destination-unreachable, time-exceeded, parameter-problem } accept\n");
        text.Append("\t\ticmpv6 type { echo-request, destination-unreachable, packet-too-big, time-exceeded, parameter-problem, " +
            "nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, mld-listener-query } accept\n");
        text.Append("\t\tct state invalid drop\n");
        text.Append(rules);
        text.Append("\t}\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static string Ports(params int[] ports)
    {
        var distinct = ports.Distinct().Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
        return distinct.Count == 1 ? distinct[0] : $"{{ {string.Join(", ", distinct)} }}";
    }

    /// <summary><c>ip saddr { ... }</c> and <c>ip6 saddr { ... }</c> for the addresses or CIDR ranges given, one per family present.</summary>
    private static IEnumerable<string> From(IEnumerable<string> sources)
    {
        var parsed = sources.Select(Parse).Distinct().ToList();
        foreach (var (family, v6) in new[] { ("ip", false), ("ip6", true) })
        {
            var some = parsed.Where(p => p.V6 == v6).Select(p => p.Text).ToList();
            if (some.Count > 0)
            {
                yield return $"{family} saddr {{ {string.Join(", ", some)} }}";
            }
        }
    }

    /// <summary>An address or CIDR range as nft writes it (a single address without its /32 or /128), and its family.</summary>
    private static (string Text, bool V6) Parse(string source)
    {
        var parts = source.Split('/', 2);
        var ip = IPAddress.Parse(parts[0]);
        var v6 = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var bits = parts.Length == 1 ? (v6 ? 128 : 32) : int.Parse(parts[1], CultureInfo.InvariantCulture);
        if (bits == (v6 ? 128 : 32))
        {
            return (ip.ToString(), v6);
        }

        // nft wants the range's own address (10.0.0.0/24, not 10.0.0.5/24), which pg_hba is happy to be given either way.
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return ($"{new IPAddress(bytes)}/{bits.ToString(CultureInfo.InvariantCulture)}", v6);
    }
}
