namespace Hoist.Tests.Support;

/// <summary>A folder with a hoist.yml aimed at test hosts, as a user's project would have.</summary>
public sealed class Project
{
    private Project(TempDir dir) => Dir = dir;

    public TempDir Dir { get; }

    public string DeployTo => Dir.Combine("target");

    public string ConfigPath => Dir.Combine("hoist.yml");

    /// <summary>Writes hoist.yml; <paramref name="withKey"/> false leaves out ssh.key, so login depends on ssh-agent or ~/.ssh.</summary>
    public static Project Create(
        TempDir dir, TestSshd sshd, string source, string extra = "", string? hosts = null, string? deployTo = null, bool withKey = true)
    {
        var project = new Project(dir);
        var yaml = string.Join('\n',
            "app: testapp",
            source,
            $"deploy_to: {deployTo ?? project.DeployTo}",
            "hosts:",
            $"  web: [{hosts ?? sshd.Address}]",
            $"ssh: {{ user: root, {(withKey ? $"key: {sshd.ClientKey}, " : "")}known_hosts: {sshd.KnownHosts} }}",
            extra,
            "");
        dir.Write("hoist.yml", yaml);
        return project;
    }

    public Task<RunResult> HoistAsync(params string[] args) => HoistCli.RunAsync(Dir.Path, args);

    public Task<RunResult> HoistAsync(IDictionary<string, string> environment, params string[] args) =>
        HoistCli.RunAsync(Dir.Path, environment, args);

    public string Current() => Path.GetFileName(new DirectoryInfo(Path.Combine(DeployTo, "current")).LinkTarget ?? "");

    public string[] Releases() =>
        Directory.Exists(Path.Combine(DeployTo, "releases"))
            ? Directory.GetDirectories(Path.Combine(DeployTo, "releases")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    public string ReadCurrent(string file) => File.ReadAllText(Path.Combine(DeployTo, "current", file));
}
