namespace Hoist.Remote;

using System.Collections.Concurrent;
using Hoist.Config;
using Hoist.Core;
using Renci.SshNet;

/// <summary>
/// Decides whether to trust the key a host presents, against known_hosts: known keys pass, a changed or
/// revoked key never does, and an unknown one only when the user asked to record new keys.
/// </summary>
internal sealed class HostKeyPolicy(string knownHostsPath, bool acceptNew)
{
    private readonly KnownHosts known = KnownHosts.Load(knownHostsPath);
    private readonly ConcurrentDictionary<string, HoistException> refusals = new();
    private readonly ConcurrentQueue<string> recorded = new();
    private readonly Lock appendGate = new();

    /// <summary>known_hosts lines that were skipped, as "file:line: why", for hoist check to show.</summary>
    public IEnumerable<string> Skipped => known.Warnings.Select(w => w.ToString());

    /// <summary>Keys recorded in this run by <c>--accept-new-host-keys</c>, as lines to show.</summary>
    public IEnumerable<string> Recorded => recorded;

    /// <summary>As OpenSSH does, asks a host only for key types already known for it, so a second key type never looks "changed".</summary>
    public void RestrictAlgorithms(HostConfig host, ConnectionInfo info)
    {
        var types = known.KnownKeyTypes(host.Address, host.Port);
        if (types.Count == 0)
        {
            return;
        }

        foreach (var algorithm in info.HostKeyAlgorithms.Keys.ToList())
        {
            if (!types.Contains(KeyTypeOf(algorithm)))
            {
                info.HostKeyAlgorithms.Remove(algorithm);
            }
        }
    }

    public bool Accept(HostConfig host, string algorithm, byte[] key)
    {
        var verdict = known.Check(host.Address, host.Port, algorithm, key);
        var type = SshKeyBlob.KeyTypeOf(algorithm, key);
        var fingerprint = KnownHosts.Fingerprint(key);
        var name = KnownHostsName.For(host.Address, host.Port);
        switch (verdict.Status)
        {
            case HostKeyStatus.Trusted:
                return true;
            case HostKeyStatus.Unknown when acceptNew:
                lock (appendGate)
                {
                    KnownHosts.Append(knownHostsPath, host.Address, host.Port, type, key);
                }

                recorded.Enqueue($"{host.Display}: recorded host key {type} {fingerprint} in {knownHostsPath}");
                return true;
            case HostKeyStatus.Unknown:
                refusals[host.Key] = new HoistException(
                    $"{host.Display}: unknown host key {type} {fingerprint} (not in {knownHostsPath}). " +
                    $"Hoist never trusts a new host silently: check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_{ShortType(type)}_key.pub), " +
                    "then run `hoist check --accept-new-host-keys` to record it");
                return false;
            case HostKeyStatus.Malformed:
                refusals[host.Key] = new HoistException($"{host.Display}: {BrokenLines(verdict)}; fix or delete the line, then run `hoist check --accept-new-host-keys` " +
                    "(a new key is never recorded while a broken line may be this host's)");
                return false;
            case HostKeyStatus.Revoked:
                refusals[host.Key] = new HoistException(
                    $"{host.Display}: host key {type} {fingerprint} is marked @revoked at {string.Join(", ", verdict.Locations)}; refusing to connect");
                return false;
            default:
                refusals[host.Key] = new HoistException(
                    $"{host.Display}: HOST KEY CHANGED: it presents {type} {fingerprint}, which does not match {string.Join(", ", verdict.Locations)}. " +
                    "Someone may be intercepting the connection, so Hoist refuses it. If the host was really reinstalled, " +
                    $"remove the old key with `ssh-keygen -R '{name}' -f {knownHostsPath}` and run `hoist check --accept-new-host-keys`");
                return false;
        }
    }

    private string BrokenLines(HostKeyVerdict verdict) =>
        string.Join("; ", known.Malformed.Where(w => verdict.Lines.Contains(w.Line)).Select(w =>
            w.Hosts is null ? $"{w} (its host field cannot be read, so it may name this host)" : $"{w.Path}:{w.Line} names this host but is malformed ({w.Reason})"));

    /// <summary>The reason a host's key was refused in this run, if it was.</summary>
    public HoistException? RefusalFor(HostConfig host) => refusals.GetValueOrDefault(host.Key);

    private static string KeyTypeOf(string algorithm) => algorithm switch
    {
        "rsa-sha2-256" or "rsa-sha2-512" => "ssh-rsa",
        _ when algorithm.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal) => algorithm[..^"-cert-v01@openssh.com".Length],
        _ => algorithm,
    };

    private static string ShortType(string type) => type switch
    {
        "ssh-ed25519" => "ed25519",
        "ssh-rsa" => "rsa",
        _ when type.StartsWith("ecdsa", StringComparison.Ordinal) => "ecdsa",
        _ => type,
    };
}
