using Hoist.Core;
using Hoist.Remote;

namespace Hoist.Tests.Remote;

public sealed class KnownHostsTests(GeneratedKeys keys) : IClassFixture<GeneratedKeys>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hoist-known-hosts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string KnownHostsFile(params string[] lines)
    {
        var path = Path.Combine(_folder, "known_hosts");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static string Line(string hosts, GeneratedKey key) => $"{hosts} {key.Type} {key.Base64}";

    private static HostKeyVerdict Check(string path, string host, int port, GeneratedKey key) =>
        KnownHosts.Load(path).Check(host, port, key.Type, key.Blob);

    [Fact]
    public void Plain_Entry_Is_Trusted_On_Port_22_Only()
    {
        var path = KnownHostsFile(Line("web1.example.com", keys.Ed25519));

        var verdict = Check(path, "web1.example.com", 22, keys.Ed25519);

        Assert.Equal(HostKeyStatus.Trusted, verdict.Status);
        Assert.Equal([1], verdict.Lines);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "web1.example.com", 2222, keys.Ed25519).Status);
    }

    [Fact]
    public void Bracketed_Entry_Matches_Only_Its_Port()
    {
        var path = KnownHostsFile(Line("[10.0.0.5]:2222", keys.Ed25519));

        Assert.Equal(HostKeyStatus.Trusted, Check(path, "10.0.0.5", 2222, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "10.0.0.5", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "10.0.0.5", 2223, keys.Ed25519).Status);
    }

    [Fact]
    public void Comma_Separated_Patterns_Each_Match_Ignoring_Case()
    {
        var path = KnownHostsFile(Line("web1,10.0.0.5,[web1]:2222", keys.Ed25519));

        Assert.Equal(HostKeyStatus.Trusted, Check(path, "WEB1", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "10.0.0.5", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "web1", 2222, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "web2", 22, keys.Ed25519).Status);
    }

    [Fact]
    public void Hashed_Entry_Matches_Host_And_Port()
    {
        var path = KnownHostsFile(
            Line("web1.example.com", keys.Ed25519),
            Line("[127.0.0.1]:2222", keys.Rsa));
        SshKeygen.RunOrThrow("-H", "-f", path);
        Assert.All(File.ReadAllLines(path), line => Assert.StartsWith("|1|", line));

        var knownHosts = KnownHosts.Load(path);

        Assert.Empty(knownHosts.Warnings);
        Assert.Equal(HostKeyStatus.Trusted, knownHosts.Check("web1.example.com", 22, keys.Ed25519.Type, keys.Ed25519.Blob).Status);
        Assert.Equal(HostKeyStatus.Unknown, knownHosts.Check("web1.example.com", 2222, keys.Ed25519.Type, keys.Ed25519.Blob).Status);
        var verdict = knownHosts.Check("127.0.0.1", 2222, keys.Rsa.Type, keys.Rsa.Blob);
        Assert.Equal(HostKeyStatus.Trusted, verdict.Status);
        Assert.Equal([2], verdict.Lines);
        Assert.Equal(HostKeyStatus.Unknown, knownHosts.Check("127.0.0.1", 22, keys.Rsa.Type, keys.Rsa.Blob).Status);
        Assert.Equal(HostKeyStatus.Unknown, knownHosts.Check("127.0.0.2", 2222, keys.Rsa.Type, keys.Rsa.Blob).Status);
    }

    [Fact]
    public void Different_Key_Of_Same_Type_Is_Changed_And_Names_The_Lines()
    {
        var path = KnownHostsFile(
            "# fleet",
            Line("other", keys.OtherEd25519),
            Line("web1", keys.Rsa),
            Line("web1", keys.OtherEd25519));

        var verdict = Check(path, "web1", 22, keys.Ed25519);

        Assert.Equal(HostKeyStatus.Changed, verdict.Status);
        Assert.Equal([4], verdict.Lines);
        Assert.Equal([$"{path}:4"], verdict.Locations);
    }

    [Fact]
    public void Only_Other_Key_Types_Known_Is_Changed_Listing_Every_Line_For_The_Host()
    {
        var path = KnownHostsFile(Line("web1", keys.Rsa), Line("web2", keys.Rsa), Line("web1,web3", keys.Rsa));

        var verdict = Check(path, "web1", 22, keys.Ed25519);

        Assert.Equal(HostKeyStatus.Changed, verdict.Status);
        Assert.Equal([1, 3], verdict.Lines);
    }

    [Fact]
    public void Known_Key_Types_Lists_Each_Trusted_Type_Once()
    {
        var path = KnownHostsFile(
            Line("web1", keys.Rsa),
            Line("web2", keys.Ed25519),
            Line("web1", keys.OtherEd25519),
            Line("web1", keys.Ed25519),
            "@revoked " + Line("*", keys.Rsa));
        var knownHosts = KnownHosts.Load(path);

        Assert.Equal(["ssh-rsa", "ssh-ed25519"], knownHosts.KnownKeyTypes("web1", 22));
        Assert.Empty(knownHosts.KnownKeyTypes("web1", 2222));
        Assert.Empty(knownHosts.KnownKeyTypes("web3", 22));
    }

    [Fact]
    public void Revoked_Key_Is_Refused_Even_When_Also_Trusted()
    {
        var path = KnownHostsFile(Line("web1", keys.Ed25519), "@revoked " + Line("*.example.com,web1", keys.Ed25519));

        var verdict = Check(path, "web1", 22, keys.Ed25519);

        Assert.Equal(HostKeyStatus.Revoked, verdict.Status);
        Assert.Equal([2], verdict.Lines);
    }

    [Fact]
    public void Revoked_Line_For_Another_Key_Does_Not_Make_The_Host_Known()
    {
        var path = KnownHostsFile("@revoked " + Line("*", keys.OtherEd25519));

        Assert.Equal(HostKeyStatus.Unknown, Check(path, "web1", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Revoked, Check(path, "web1", 22, keys.OtherEd25519).Status);
    }

    [Fact]
    public void Wildcards_Match_And_Negated_Patterns_Veto()
    {
        var path = KnownHostsFile(Line("*.example.com,!db.example.com,web?", keys.Ed25519));

        Assert.Equal(HostKeyStatus.Trusted, Check(path, "app.example.com", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "web7", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "web10", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "db.example.com", 22, keys.Ed25519).Status);
        Assert.Equal(HostKeyStatus.Unknown, Check(path, "example.com", 22, keys.Ed25519).Status);
    }

    [Fact]
    public void Malformed_Lines_Are_Skipped_And_Reported_With_Line_Numbers()
    {
        var path = KnownHostsFile(
            "",
            "   # indented comment",
            "web1 ssh-ed25519",
            "web1 ssh-ed25519 not*base64",
            $"web1 ssh-rsa {keys.Ed25519.Base64}",
            "@bogus " + Line("web1", keys.Ed25519),
            $"|1|bm90|c2hvcnQ= {keys.Ed25519.Type} {keys.Ed25519.Base64}",
            "web1,,web2 " + $"{keys.Ed25519.Type} {keys.Ed25519.Base64}",
            "@cert-authority " + Line("*", keys.OtherEd25519),
            "\t" + Line("web1", keys.Ed25519) + " trailing comment");
        var knownHosts = KnownHosts.Load(path);

        Assert.Equal([3, 4, 5, 6, 7, 8, 9], knownHosts.Warnings.Select(w => w.Line));
        Assert.Equal($"{path}:3: expected host patterns, a key type and a base64 key", knownHosts.Warnings[0].ToString());
        var verdict = knownHosts.Check("web1", 22, keys.Ed25519.Type, keys.Ed25519.Blob);
        Assert.Equal(HostKeyStatus.Trusted, verdict.Status);
        Assert.Equal([10], verdict.Lines);
        Assert.Equal(["ssh-ed25519"], knownHosts.KnownKeyTypes("web1", 22));
    }

    [Fact]
    public void Broken_Line_Naming_The_Host_Is_Not_Read_As_Unknown()
    {
        var path = KnownHostsFile(
            Line("web2", keys.OtherEd25519),
            "web1 ssh-ed25519 not*base64",
            $"|1|bm90|c2hvcnQ= {keys.Ed25519.Type} {keys.Ed25519.Base64}");

        var web1 = Check(path, "web1", 22, keys.Ed25519);

        Assert.Equal(HostKeyStatus.Malformed, web1.Status);
        Assert.Equal([2, 3], web1.Lines);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "web2", 22, keys.OtherEd25519).Status);
    }

    [Fact]
    public void Broken_Line_For_Another_Host_Leaves_The_Host_Unknown()
    {
        var path = KnownHostsFile("web2 ssh-ed25519 not*base64", $"web2 ssh-rsa {keys.Ed25519.Base64}");

        var verdict = Check(path, "web1", 22, keys.Ed25519);

        Assert.Equal(HostKeyStatus.Unknown, verdict.Status);
    }

    [Fact]
    public void Comments_Blank_Lines_Hashed_Names_And_Markers_Are_Valid()
    {
        var hashed = HashedLine("web9", keys.Rsa);
        var path = KnownHostsFile(
            "# a comment",
            "",
            "   ",
            hashed,
            "@revoked " + Line("web1", keys.OtherEd25519),
            "@cert-authority " + Line("*.example.com", keys.Rsa) + " ca",
            Line("web3", keys.Ed25519) + " a comment");
        var knownHosts = KnownHosts.Load(path);

        Assert.Empty(knownHosts.Malformed);
        Assert.Equal(HostKeyStatus.Unknown, knownHosts.Check("web1", 22, keys.Ed25519.Type, keys.Ed25519.Blob).Status);
        Assert.Equal(HostKeyStatus.Unknown, knownHosts.Check("a.example.com", 22, keys.Ed25519.Type, keys.Ed25519.Blob).Status);
        Assert.Equal(HostKeyStatus.Trusted, knownHosts.Check("web9", 22, keys.Rsa.Type, keys.Rsa.Blob).Status);
        Assert.Equal(HostKeyStatus.Trusted, knownHosts.Check("web3", 22, keys.Ed25519.Type, keys.Ed25519.Blob).Status);
    }

    [Fact]
    public void Folder_As_Known_Hosts_Is_An_Error_Naming_It()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "known_hosts")).FullName;

        var error = Assert.Throws<Hoist.Core.HoistException>(() => KnownHosts.Load(folder));

        Assert.Equal($"{folder} is a folder, not a known_hosts file; set ssh.known_hosts to a file (default ~/.ssh/known_hosts)", error.Message);
    }

    private static string HashedLine(string host, GeneratedKey key)
    {
        var salt = new byte[20];
        new Random(4).NextBytes(salt);
        var hash = HashedHostName.Hash(salt, host);
        return $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} {key.Type} {key.Base64}";
    }

    [Fact]
    public void Missing_File_Is_Empty()
    {
        var knownHosts = KnownHosts.Load(Path.Combine(_folder, "nope", "known_hosts"));

        Assert.Empty(knownHosts.Entries);
        Assert.Empty(knownHosts.Warnings);
        Assert.Equal(HostKeyStatus.Unknown, knownHosts.Check("web1", 22, keys.Ed25519.Type, keys.Ed25519.Blob).Status);
    }

    [Fact]
    public void Rsa_Signature_Algorithm_Name_Checks_As_Ssh_Rsa_Key()
    {
        var path = KnownHostsFile(Line("web1", keys.Rsa));

        var knownHosts = KnownHosts.Load(path);

        Assert.Equal(HostKeyStatus.Trusted, knownHosts.Check("web1", 22, "rsa-sha2-512", keys.Rsa.Blob).Status);
    }

    [Fact]
    public void Fingerprint_Matches_Ssh_Keygen()
    {
        foreach (var key in new[] { keys.Ed25519, keys.Rsa })
        {
            // "256 SHA256:... comment (ED25519)"
            var expected = SshKeygen.RunOrThrow("-l", "-E", "sha256", "-f", key.PubPath).Split(' ')[1];

            Assert.Equal(expected, KnownHosts.Fingerprint(key.Blob));
        }
    }

    [Fact]
    public void Append_Output_Is_Trusted_And_Found_By_Ssh_Keygen()
    {
        var path = Path.Combine(_folder, "new", ".ssh", "known_hosts");

        KnownHosts.Append(path, "127.0.0.1", 2222, keys.Ed25519.Type, keys.Ed25519.Blob);

        var text = File.ReadAllText(path);
        Assert.Equal($"[127.0.0.1]:2222 ssh-ed25519 {keys.Ed25519.Base64}\n", text);
        Assert.Equal(HostKeyStatus.Trusted, Check(path, "127.0.0.1", 2222, keys.Ed25519).Status);
        var (exitCode, output) = SshKeygen.Run("-F", "[127.0.0.1]:2222", "-f", path);
        Assert.Equal(0, exitCode);
        Assert.Contains(text.TrimEnd('\n'), output);
        Assert.NotEqual(0, SshKeygen.Run("-F", "127.0.0.1", "-f", path).ExitCode);
    }

    [Fact]
    public void Append_Creates_Private_File_And_Folder()
    {
        // Windows has no Unix modes to check (xunit 2 cannot skip at run time).
        if (OperatingSystem.IsWindows())
            return;
        var folder = Path.Combine(_folder, "fresh");
        var path = Path.Combine(folder, "known_hosts");

        KnownHosts.Append(path, "web1", 22, keys.Ed25519.Type, keys.Ed25519.Blob);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Append_Writes_Plain_Host_For_Port_22_And_Never_Duplicates()
    {
        var path = KnownHostsFile("# mine", Line("web1", keys.Ed25519) + " comment");

        KnownHosts.Append(path, "web1", 22, keys.Ed25519.Type, keys.Ed25519.Blob);
        KnownHosts.Append(path, "Web2", 22, keys.Rsa.Type, keys.Rsa.Blob);
        KnownHosts.Append(path, "web2", 22, "rsa-sha2-256", keys.Rsa.Blob);

        Assert.Equal(
            ["# mine", Line("web1", keys.Ed25519) + " comment", Line("web2", keys.Rsa)],
            File.ReadAllLines(path));
        Assert.Equal(0, SshKeygen.Run("-F", "web2", "-f", path).ExitCode);
    }

    [Fact]
    public void Append_Starts_A_New_Line_When_The_File_Lacks_A_Final_Newline()
    {
        var path = Path.Combine(_folder, "known_hosts");
        File.WriteAllText(path, Line("web1", keys.Ed25519));

        KnownHosts.Append(path, "web2", 22, keys.Ed25519.Type, keys.Ed25519.Blob);

        Assert.Equal([Line("web1", keys.Ed25519), Line("web2", keys.Ed25519)], File.ReadAllLines(path));
    }

    [Fact]
    public void Append_Rejects_Host_Names_That_Would_Corrupt_The_File()
    {
        var path = Path.Combine(_folder, "known_hosts");

        Assert.Throws<ArgumentException>(() => KnownHosts.Append(path, "web1 web2", 22, keys.Ed25519.Type, keys.Ed25519.Blob));
        Assert.Throws<ArgumentException>(() => KnownHosts.Append(path, "web*", 22, keys.Ed25519.Type, keys.Ed25519.Blob));
        Assert.False(File.Exists(path));
    }
    [Theory]
    [InlineData("ed25519", 48)]
    [InlineData("ed25519", 64)]
    [InlineData("rsa", 200)]
    [InlineData("rsa", 360)]
    public void Truncated_Key_Is_A_Malformed_Line_Not_A_Changed_Key(string type, int base64Chars)
    {
        var key = type == "rsa" ? keys.Rsa : keys.Ed25519;
        // Cut on a 4-character boundary, so the base64 still decodes and its type prefix still reads right.
        var cut = key.Base64[..base64Chars];
        var path = KnownHostsFile($"web1 {key.Type} {cut}");

        var knownHosts = KnownHosts.Load(path);
        var verdict = knownHosts.Check("web1", 22, key.Type, key.Blob);

        Assert.Equal(HostKeyStatus.Malformed, verdict.Status);
        Assert.Equal([1], verdict.Lines);
        Assert.Equal($"{path}:1: the key is not a whole {key.Type} key (cut short, or with bytes left over)", knownHosts.Warnings.Single().ToString());
    }

    [Fact]
    public void Key_With_Bytes_After_Its_Fields_Is_Malformed()
    {
        var padded = Convert.ToBase64String([.. keys.Ed25519.Blob, 0, 0, 0, 0]);
        var path = KnownHostsFile($"web1 {keys.Ed25519.Type} {padded}");

        Assert.Equal(HostKeyStatus.Malformed, Check(path, "web1", 22, keys.Ed25519).Status);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("dev-zero")]
    [InlineData("socket")]
    public async Task Known_Hosts_Link_To_A_Special_File_Is_Refused_Unopened(string kind)
    {
        var target = Path.Combine(_folder, kind);
        switch (kind)
        {
            case "fifo":
                await Support.Run.ShellAsync($"mkfifo '{target}'");
                break;
            case "socket":
                await Support.Run.ShellAsync($"python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"{target}\")'");
                break;
            default:
                target = "/dev/zero";
                break;
        }

        var link = Path.Combine(_folder, "known_hosts");
        File.CreateSymbolicLink(link, target);

        // Bounded: before the fix a FIFO blocked open() for good and /dev/zero read until memory ran out.
        var load = Task.Run(() => KnownHosts.Load(link));
        var error = await Assert.ThrowsAsync<HoistException>(() => load.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.StartsWith($"known_hosts {link} is ", error.Message);
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public void Known_Hosts_Larger_Than_The_Limit_Is_Refused_Naming_It()
    {
        var path = Path.Combine(_folder, "known_hosts");
        using (var file = File.Create(path))
        {
            file.SetLength((16 << 20) + 1);
        }

        var error = Assert.Throws<HoistException>(() => KnownHosts.Load(path));

        Assert.Equal($"known_hosts {path} is larger than 16 MiB, the most hoist reads; remove old lines (ssh-keygen -R HOST -f {path}) or point ssh.known_hosts at a smaller file", error.Message);
    }
}
