namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Core;
using Hoist.Init;

/// <summary><c>hoist init [DIR]</c>.</summary>
internal static class InitVerb
{
    private static readonly Argument<string> Folder = new("DIR")
    {
        Description = "The project's folder (made when missing) [default: the current folder]",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => ".",
    };

    private static readonly Option<ProjectKind?> Template = new("--template", "-t")
    {
        Description = "The kind of app: in an empty folder, writes a small one of this kind (a /up health route) as well; in a project, says which kind it is when it looks like several",
        HelpName = "flask|django|aspnet|node",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Enum.GetValues<ProjectKind>().FirstOrDefault(k => ProjectDetector.Name(k) == token) is var kind && ProjectDetector.Name(kind) == token)
            {
                return kind;
            }

            result.AddError($"--template '{token}': write flask, django, aspnet or node");
            return null;
        },
    };

    private static readonly Option<string?> App = new("--app") { Description = "The app's name [default: the folder's name, made valid]", HelpName = "NAME" };

    private static readonly Option<string[]> Web = new("--web")
    {
        Description = "A web host, USER@HOST[:PORT] (repeatable) [default: a placeholder hoist check refuses until it is set]",
        HelpName = "USER@HOST",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string?> Db = new("--db") { Description = "The PostgreSQL host (setup makes the database and DATABASE_URL) [default: none]", HelpName = "USER@HOST" };

    private static readonly Option<string?> Lb = new("--lb") { Description = "A load balancer host in front of the web hosts [default: none]", HelpName = "USER@HOST" };

    private static readonly Option<string?> Repo = new("--repo")
    {
        Description = "The git repository the hosts clone [default: the folder's `git remote get-url origin`, else a placeholder]; aspnet apps are uploaded instead",
        HelpName = "URL",
    };

    private static readonly Option<string?> SshKey = new("--ssh-key") { Description = "ssh.key: the private key [default: your agent's keys, then ~/.ssh/id_*]", HelpName = "PATH" };

    private static readonly Option<string?> KnownHosts = new("--known-hosts") { Description = "ssh.known_hosts [default: ~/.ssh/known_hosts]", HelpName = "PATH" };

    private static readonly Option<string?> ServerName = new("--server-name") { Description = "nginx's server_name, names separated by spaces [default: _, any name]", HelpName = "NAMES" };

    private static readonly Option<bool> Force = new("--force") { Description = "Overwrite hoist.yml and hoist.staging.yml (and the new app's files) when they exist" };

    public static Command Build()
    {
        var command = new Command("init",
            "Write a commented hoist.yml (and hoist.staging.yml, for -d staging) that deploys the project in DIR: a Django project (manage.py), " +
            "a Flask/WSGI app (wsgi.py or app.py with its app object, or a package with create_app), an ASP.NET Core project (*.csproj, published " +
            "self-contained here and uploaded) or a Node app (package.json's start script). In an empty folder, with --template, it writes a small app " +
            "of that kind too. Hosts and repo not given are placeholders that hoist check refuses until they are set; setup.firewall is on. " +
            "Never replaces a file without --force. Nothing is sent anywhere.")
        {
            Folder, Template, App, Web, Db, Lb, Repo, SshKey, KnownHosts, ServerName, Force,
        };
        command.SetAction(VerbRunner.Plain((parse, _) =>
        {
            if (parse.GetValue(GlobalOptions.Config) is not null || parse.GetValue(GlobalOptions.Destination) is not null)
            {
                throw HoistException.Usage("hoist init writes hoist.yml and hoist.staging.yml into DIR; -c and -d do not apply to it (give the folder: hoist init DIR)");
            }

            var request = new InitRequest(
                parse.GetValue(Folder) ?? ".", parse.GetValue(Template), parse.GetValue(App), parse.GetValue(Web) ?? [], parse.GetValue(Db), parse.GetValue(Lb),
                parse.GetValue(Repo), parse.GetValue(SshKey), parse.GetValue(KnownHosts), parse.GetValue(ServerName), parse.GetValue(Force));
            return Task.FromResult(new InitRunner(Console.Out, VerbRunner.Environment()).Run(request));
        }));
        return command;
    }
}
