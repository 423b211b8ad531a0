namespace Hoist.Init;

/// <summary>A file of a new app that <c>hoist init --template</c> writes, relative to the project folder.</summary>
internal sealed record SkeletonFile(string Path, string Text);
