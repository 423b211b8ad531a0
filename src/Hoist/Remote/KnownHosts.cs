using System.Security.Cryptography;
using System.Text;
using Hoist.Core;

namespace Hoist.Remote;

/// <summary>An OpenSSH known_hosts file, loaded once and checked against the keys hosts present.</summary>
internal sealed class KnownHosts
{
    private KnownHosts(string path, IReadOnlyList<KnownHostsEntry> entries, IReadOnlyList<KnownHostsWarning> warnings)
    {
        Path = path;
        Entries = entries;
        Warnings = warnings;
    }

    public string Path { get; }

    public IReadOnlyList<KnownHostsEntry> Entries { get; }

    /// <summary>Lines that were skipped (malformed or unsupported), to show the user.</summary>
    public IReadOnlyList<KnownHostsWarning> Warnings { get; }

    /// <summary>The skipped lines that are broken (not merely unsupported), which may name any host.</summary>
    public IReadOnlyList<KnownHostsWarning> Malformed => [.. Warnings.Where(w => w.Malformed)];

    /// <summary>
    /// Far more than any real known_hosts (a line is under 1 KiB); a link to /dev/zero or a huge file stops here
    /// instead of filling memory.
    /// </summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Reads a known_hosts file; a missing file is an empty one. A link is followed, but what it leads to must be a
    /// regular file of at most <see cref="MaxBytes"/> (a FIFO would block, /dev/zero never end); anything else is an error.
    /// </summary>
    public static KnownHosts Load(string path)
    {
        if (Directory.Exists(path))
            throw new HoistException($"{path} is a folder, not a known_hosts file; set ssh.known_hosts to a file (default ~/.ssh/known_hosts)");
        var bytes = RegularFile.Read(path, MaxBytes, out var problem);
        if (bytes is null && problem is not null)
        {
            var fix = problem.StartsWith("is larger", StringComparison.Ordinal)
                ? $", the most hoist reads; remove old lines (ssh-keygen -R HOST -f {path}) or point ssh.known_hosts at a smaller file"
                : "; set ssh.known_hosts to a regular file (default ~/.ssh/known_hosts)";
            throw new HoistException($"known_hosts {path} {problem}{fix}");
        }

        if (bytes is null || bytes.Length == 0)
            return new KnownHosts(path, [], []);
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(bytes);
        var (entries, warnings) = KnownHostsParser.Parse(path, Lines(text));
        return new KnownHosts(path, entries, warnings);
    }

    /// <summary>Lines as File.ReadLines splits them (\n, \r\n or \r), so line numbers match what an editor shows.</summary>
    private static IEnumerable<string> Lines(string text)
    {
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    /// <param name="keyType">The key type or host key algorithm; the type inside the blob wins.</param>
    public HostKeyVerdict Check(string host, int port, string keyType, byte[] keyBlob)
    {
        var matching = EntriesFor(host, port).ToList();
        var revoking = matching.Where(e => e.Marker == KnownHostsMarker.Revoked && e.HoldsKey(keyBlob)).ToList();
        if (revoking.Count > 0)
            return Verdict(HostKeyStatus.Revoked, revoking);

        var known = matching.Where(e => e.Marker == KnownHostsMarker.None).ToList();
        var trusting = known.Where(e => e.HoldsKey(keyBlob)).ToList();
        if (trusting.Count > 0)
            return Verdict(HostKeyStatus.Trusted, trusting);
        if (known.Count == 0)
        {
            // A broken line for the host is not "no line": recording whatever the host presents would paper over it.
            var name = KnownHostsName.For(host, port);
            var broken = Warnings.Where(w => w.Malformed && w.MayName(name)).ToList();
            return broken.Count > 0
                ? new HostKeyVerdict(HostKeyStatus.Malformed, Path, [.. broken.Select(w => w.Line)])
                : Verdict(HostKeyStatus.Unknown, []);
        }

        // Point at the lines holding the old key of this type; failing that, every line for the host.
        var type = SshKeyBlob.KeyTypeOf(keyType, keyBlob);
        var sameType = known.Where(e => e.KeyType == type).ToList();
        return Verdict(HostKeyStatus.Changed, sameType.Count > 0 ? sameType : known);
    }

    /// <summary>The key types trusted for a host, in file order, so the client asks only for those.</summary>
    public IReadOnlyList<string> KnownKeyTypes(string host, int port) =>
        [.. EntriesFor(host, port).Where(e => e.Marker == KnownHostsMarker.None).Select(e => e.KeyType).Distinct()];

    /// <summary>"SHA256:" and the unpadded base64 SHA-256 of the key, as ssh-keygen -l prints it.</summary>
    public static string Fingerprint(byte[] keyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>Adds an unhashed line for the host, creating the file (0600) and folder (0700).</summary>
    public static void Append(string path, string host, int port, string keyType, byte[] keyBlob) =>
        KnownHostsAppender.Append(path, host, port, keyType, keyBlob);

    private IEnumerable<KnownHostsEntry> EntriesFor(string host, int port)
    {
        var name = KnownHostsName.For(host, port);
        return Entries.Where(e => e.Hosts.Matches(name));
    }

    private HostKeyVerdict Verdict(HostKeyStatus status, IEnumerable<KnownHostsEntry> lines) =>
        new(status, Path, [.. lines.Select(e => e.Line)]);
}
