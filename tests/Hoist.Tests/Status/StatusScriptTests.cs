namespace Hoist.Tests.Status;

using Hoist.Status;
using Hoist.Tests.Logs;
using Hoist.Tests.Support;

public sealed class StatusScriptTests
{
    [Fact]
    public void Status_Script_Reports_Release_Audit_Unit_Serve_Status_And_One_Health_Answer() =>
        Golden.Match("status.sh", StatusScript.Build(LogsScriptTests.Config()).Show());
}
