namespace Hoist.Config;

/// <summary>
/// <c>python:</c>: a virtualenv built in each release (<c>venv/</c>) from the host's python3 before the build
/// commands, with <see cref="Requirements"/> installed into it by its pip; hoist serve's workers then run its python.
/// </summary>
/// <param name="Requirements">A requirements file, relative to the release; null: pip installs nothing.</param>
/// <param name="SystemSitePackages">Made with --system-site-packages, so the host's Debian packages (python3-flask, gunicorn) are seen.</param>
internal sealed record PythonConfig(bool Venv, string? Requirements, bool SystemSitePackages)
{
    /// <summary>The venv's folder in the release, as serve.ini and the build commands name it.</summary>
    public const string VenvFolder = "venv";

    /// <summary>The Debian package that gives python3 its venv module (ensurepip); hoist setup installs it.</summary>
    public const string VenvPackage = "python3-venv";
}
