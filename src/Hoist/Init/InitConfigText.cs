namespace Hoist.Init;

using System.Text;

/// <summary>
/// The hoist.yml <c>hoist init</c> writes: short comments on every key (examples/hoist.example.yml is the
/// reference), the hosts as given or placeholders, and the serve/setup sections <c>hoist setup</c> needs to run the
/// app under nginx and hoist serve as a systemd unit, with the firewall on.
/// </summary>
internal static class InitConfigText
{
    public static string Render(InitSettings settings, DetectedProject project)
    {
        var s = settings;
        var y = new StringBuilder();
        void Line(string text = "") => y.Append(text).Append('\n');

        Line($"# hoist.yml for {s.App}, written by `hoist init` for {ProjectDetector.AnApp(project.Kind)} ({project.Found}).");
        Line("# A starting point: examples/hoist.example.yml in Hoist's repository explains every key. Then:");
        Line("#   hoist check --accept-new-host-keys   # once, after checking the hosts' key fingerprints");
        Line("#   hoist setup                          # prepares the hosts (nginx, the service, PostgreSQL), idempotent");
        Line("#   hoist deploy                         # each release; `hoist -d staging deploy` merges hoist.staging.yml");
        Line();
        Line("# The app's name: it names the systemd unit, the nginx site, the app's Unix user and the database.");
        Line($"app: {YamlScalar.Of(s.App)}");
        if (project.Upload is { } upload)
        {
            Line("# Built here before each deploy (in this folder), into an emptied folder; the hosts need no .NET: the publish is self-contained.");
            Line("local_build:");
            foreach (var command in project.LocalBuild)
            {
                Line($"  - {YamlScalar.Of(command)}");
            }

            Line("# That build's output, sent to each host as the release.");
            Line($"upload: {YamlScalar.Of(upload)}");
        }
        else
        {
            Line("# The git repository each web host clones (it needs read access; `fetch: local` sends it from here instead).");
            Line($"repo: {YamlScalar.Of(s.Repo ?? InitSettings.RepoPlaceholder)}");
            Line($"branch: {YamlScalar.Of(s.Branch)}");
        }

        Line("# Where releases live on each host: releases/, shared/ and the `current` link.");
        Line($"deploy_to: {s.DeployTo}");
        Line("keep_releases: 5");
        Line("# Hosts by role. hoist setup runs as root: log in as root, or as a user with passwordless sudo.");
        Line("hosts:");
        Line($"  web: [{string.Join(", ", (s.Web.Count == 0 ? [InitSettings.WebPlaceholder] : s.Web).Select(YamlScalar.Of))}]");
        Line(s.Db is { } db
            ? $"  # PostgreSQL: setup makes the database, an owner and a least-privileged app role, DATABASE_URL in shared/.env.\n  db: {YamlScalar.Of(db)}"
            : "  # db: root@203.0.113.20   # PostgreSQL: setup makes the database and writes DATABASE_URL into shared/.env");
        Line(s.Lb is { } lb
            ? $"  # nginx in front of the web hosts, spreading requests over them.\n  lb: {YamlScalar.Of(lb)}"
            : "  # lb: root@203.0.113.30   # nginx in front of several web hosts");
        Line("# SSH: keys from your agent or ~/.ssh/id_*, host keys checked against ~/.ssh/known_hosts, unless set here.");
        Line("ssh:");
        Line(s.SshKey is { } key ? $"  key: {YamlScalar.Of(key)}" : "  # key: ~/.ssh/id_ed25519");
        Line(s.KnownHosts is { } known ? $"  known_hosts: {YamlScalar.Of(known)}" : "  # known_hosts: ~/.ssh/known_hosts");
        Line("  connect_timeout: 10");
        Line("# Kept across releases in <deploy_to>/shared: .env holds what setup generates (DATABASE_URL, setup.secrets).");
        Line("shared: [.env]");
        Python(settings, project, Line);
        if (project.Build.Count > 0)
        {
            Line("# Run in the new release on each web host before it goes live; a failure changes nothing.");
            Line("build:");
            foreach (var command in project.Build)
            {
                Line($"  - {YamlScalar.Of(command)}");
            }
        }

        Serve(settings, project, Line);
        Setup(settings, project, Line);
        return y.ToString();
    }

    private static void Python(InitSettings s, DetectedProject project, Action<string> line)
    {
        if (!project.IsPython)
        {
            return;
        }

        if (project.Requirements is { } requirements)
        {
            line($"# A virtualenv in each release, with {requirements} installed; it sees the Debian packages of setup.packages.");
            line("python:");
            line("  venv: true");
            line($"  requirements: {YamlScalar.Of(requirements)}");
            line("  system_site_packages: true");
        }

        line("# Run in the new release on each web host before it goes live; a failure changes nothing.");
        line("build:");
        line("  - python3 -m compileall -q .");
    }

    private static void Serve(InitSettings s, DetectedProject project, Action<string> line)
    {
        line("# hoist serve, the app server on each web host (as a systemd unit): workers behind one socket nginx proxies to,");
        line("# replaced one at a time on each deploy, each only once it answers the health check.");
        line("serve:");
        line($"  socket: {s.DeployTo}/shared/run/app.sock");
        line("  chmod_socket: 660");
        line("  workers: 2");
        line("  # Resolved as each worker starts, so a reload runs the release `current` points at.");
        line($"  chdir: {s.DeployTo}/current");
        if (project.WsgiFile is { } file)
        {
            line($"  wsgi_file: {YamlScalar.Of(file)}");
            line($"  callable: {YamlScalar.Of(project.Callable ?? "application")}");
        }
        else if (project.Module is { } module)
        {
            line($"  module: {YamlScalar.Of(module)}");
        }
        else
        {
            line("  # Run with bash in the release; each worker listens where $PORT (or ASPNETCORE_URLS) says.");
            line($"  command: {YamlScalar.Of(project.Command ?? "")}");
        }

        line("  # A worker gets traffic only once this path answers 2xx or 3xx.");
        line($"  healthcheck: {YamlScalar.Of(project.HealthPath)}");
        if (Env(s, project) is { Count: > 0 } env)
        {
            line("  env:");
            foreach (var (name, value) in env)
            {
                line($"    {name}: {YamlScalar.Of(value)}");
            }
        }

        line($"  pidfile: {s.DeployTo}/shared/run/serve.pid");
        line($"  logto: {s.DeployTo}/shared/log/serve.log");
        line("  vacuum: true");
    }

    /// <summary>The workers' environment for the project's kind.</summary>
    public static IReadOnlyList<(string Name, string Value)> Env(InitSettings s, DetectedProject project) => project.Kind switch
    {
        ProjectKind.Node => [("NODE_ENV", "production")],
        ProjectKind.Aspnet => [("ASPNETCORE_ENVIRONMENT", "Production")],
        ProjectKind.Django when project.Module == DjangoSkeleton.Package(s.App) + ".wsgi" => [(DjangoSkeleton.AllowedHosts, AllowedHosts(s.ServerName))],
        _ => [],
    };

    /// <summary>Django's ALLOWED_HOSTS for nginx's server_name: its names and localhost (the health check's default Host), or any for _.</summary>
    public static string AllowedHosts(string serverName) =>
        serverName.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var names && names.Contains("_")
            ? "*"
            : string.Join(',', names.Append("localhost"));

    private static void Setup(InitSettings s, DetectedProject project, Action<string> line)
    {
        line("# What `hoist setup` prepares on the hosts, each step reporting ok or changed; --dry-run shows what would change.");
        line("setup:");
        if (project.Packages.Count > 0)
        {
            line("  # Debian packages the web hosts need (nginx, and git for repo:, come with setup).");
            line("  packages:");
            line($"    web: [{string.Join(", ", project.Packages)}]");
        }

        if (project.Kind == ProjectKind.Django && Env(s, project).Count > 0)
        {
            line("  # Generated once into each web host's shared/.env, never printed: the settings' SECRET_KEY.");
            line($"  secrets: [{DjangoSkeleton.SecretKey}]");
        }

        line("  # nftables on every host: everything dropped but SSH (the port hoist connects on), on web hosts 80 and 443,");
        line("  # on the db host PostgreSQL from the web hosts. false removes it.");
        line("  firewall: true");
        line("  nginx:");
        line("    # The names this site answers for: _ is any name (the host's address too); set your domain.");
        line($"    server_name: {YamlScalar.Of(s.ServerName)}");
        if (project.StaticFolder is { } folder)
        {
            line($"    # Served by nginx from disk, never reaching the app.");
            line("    locations:");
            line($"      /static/: current/{folder}");
        }
    }
}
