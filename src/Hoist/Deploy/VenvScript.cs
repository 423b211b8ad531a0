namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// The release's virtualenv (<c>python: { venv: true }</c>): made in <c>"$R"/venv</c> from the host's python3, then the
/// requirements installed by its pip, each a step that fails the prepare like a build command, before the build commands
/// (which may then run venv/bin/flask and the like).
/// </summary>
internal static class VenvScript
{
    private const string Fix = "install it (Debian: apt-get install " + PythonConfig.VenvPackage + "; hoist setup does so when python.venv is true) or remove python.venv";

    public static void Add(ScriptBuilder script, PythonConfig python, IEnumerable<EnvVar> env)
    {
        var venv = PythonConfig.VenvFolder;
        script.Step("python: venv")
            .Raw("if ! command -v python3 >/dev/null 2>&1; then")
            .Line(ShellCommand.Raw("  echo"), $"python.venv: this host has no python3 to make the release's venv with; {Fix}", ShellCommand.Raw(">&2; exit 1"))
            .Raw("fi")
            // Debian splits ensurepip (what venv installs pip with) into python3-venv: without it venv fails half way.
            .Raw("if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then")
            .Line(ShellCommand.Raw("  echo"), $"python.venv: this host's python3 cannot make a virtualenv, its package {PythonConfig.VenvPackage} is missing; {Fix}", ShellCommand.Raw(">&2; exit 1"))
            .Raw("fi")
            // One the code brought (committed, or in the upload) was made elsewhere, for another python: never built over.
            .Line(ShellCommand.Raw("if [ -e \"$R\"/" + venv + " ] || [ -L \"$R\"/" + venv + " ]; then echo"),
                $"python.venv: the release already holds {venv}/ (from the repository, the upload or shared:); remove it from there, the venv is built on each host",
                ShellCommand.Raw(">&2; exit 1; fi"));
        // Before the venv is made (seconds of ensurepip): a missing file fails at once.
        if (python.Requirements is { } wanted)
        {
            script.Line(ShellCommand.Raw($"if [ ! -f \"$R\"/{ShellQuote.Quote(wanted)} ]; then echo"),
                $"python.requirements: {wanted} is not a file of the release; commit it (or put it in the upload), or correct python.requirements",
                ShellCommand.Raw(">&2; exit 1; fi"));
        }

        var make = python.SystemSitePackages ? $"python3 -m venv --system-site-packages {venv}" : $"python3 -m venv {venv}";
        UserCommand.Add(script, "\"$R\"", env, make);
        if (python.Requirements is not { } requirements)
        {
            return;
        }

        script.Step("python: pip install -r " + requirements);
        // python -m pip, not venv/bin/pip: a long deploy_to makes a shebang longer than the kernel reads.
        UserCommand.Add(script, "\"$R\"", env, $"{venv}/bin/python -m pip install --disable-pip-version-check --no-input -r {ShellQuote.Quote(requirements)}");
    }
}
