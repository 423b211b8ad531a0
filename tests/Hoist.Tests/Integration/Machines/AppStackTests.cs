namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Apps as their authors wrote them, each brought up on <see cref="AppStack"/>'s fresh web1 (and db1) by setup and
/// deploy with a hoist.yml and nothing else: one partial file per app.
/// </summary>
[Collection(MachineCollection.Name)]
public sealed partial class AppStackTests(AppStack stack, ITestOutputHelper output) : IClassFixture<AppStack>
{
    private void Show(string what, RunResult result) =>
        output.WriteLine($"{what}: exit {result.ExitCode}\n{result.Stdout.Trim()}\n{result.Stderr.Trim()}".TrimEnd());
}
