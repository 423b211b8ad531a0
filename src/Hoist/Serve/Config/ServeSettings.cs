namespace Hoist.Serve.Config;

using Hoist.Config.Loading;

/// <summary>What <see cref="ServeConfigBuilder"/> builds from, whichever file it came from.</summary>
/// <param name="SourcePath">The full path of the file, kept in the config for messages.</param>
/// <param name="Paths">Resolves <c>~/</c> and paths relative to the file's folder.</param>
/// <param name="Dialect">How the source spells keys, for messages.</param>
/// <param name="Section">The <c>[uwsgi]</c> header or the <c>serve:</c> node, for errors about missing keys.</param>
/// <param name="Misspelt">Known keys (ini spelling) that an unknown key was probably meant to be: a key reported
/// as misspelt is not reported again as missing.</param>
internal sealed record ServeSettings(
    string SourcePath,
    LocalPaths Paths,
    ServeDialect Dialect,
    SettingSite Section,
    IReadOnlyList<ServeSetting> Values,
    IReadOnlyList<ServeEnvEntry> Env,
    IReadOnlySet<string> Misspelt);
