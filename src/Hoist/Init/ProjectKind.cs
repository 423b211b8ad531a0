namespace Hoist.Init;

/// <summary>The kinds of app <c>hoist init</c> knows: what it detects in a project and what it writes into an empty folder.</summary>
internal enum ProjectKind
{
    Flask,
    Django,
    Aspnet,
    Node,
}
