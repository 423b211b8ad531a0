namespace Hoist.Serve.Workers;

/// <summary>
/// What one generation's workers run, resolved once when it begins (the first start, or a reload): the release
/// folder (chdir with its links resolved) and the env-file's entries. Restarts and recycles reuse it, so a crashed
/// worker never comes back on a `current` that a failed reload left pointing at a broken release.
/// </summary>
internal sealed record GenerationRelease(int Number, string Folder, IReadOnlyList<KeyValuePair<string, string>> EnvFile);
