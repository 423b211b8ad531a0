namespace Hoist.Config;

using Hoist.Shell;

/// <summary>An environment variable given to build, reload and exec commands; secret ones never print.</summary>
internal sealed record EnvVar(string Name, ShellValue Value);
