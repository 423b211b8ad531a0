namespace Hoist.Tests.Support;

/// <summary>The flaskr machine test is skipped, naming HOIST_FLASKR_SOURCE and the fix, when its source is not there; never a silent pass.</summary>
public sealed class FlaskrSourceTests
{
    [Fact]
    public void A_Git_Dir_That_Is_Not_There_Is_A_Reason_Naming_The_Variable_And_The_Fix()
    {
        var reason = FlaskrSource.Missing("/nonexistent/flask.git@2ac89889");

        Assert.Equal("HOIST_FLASKR_SOURCE=/nonexistent/flask.git@2ac89889: no git directory /nonexistent/flask.git; " +
            "set HOIST_FLASKR_SOURCE to GIT_DIR@COMMIT of a clone of pallets/flask, or to a folder of its examples/tutorial", reason);
    }

    [Fact]
    public void A_Folder_Is_Used_Only_When_It_Holds_The_Flaskr_Package()
    {
        using var dir = new TempDir("hoist-flaskr-source");
        Assert.StartsWith($"HOIST_FLASKR_SOURCE={dir.Path}: no flaskr/__init__.py in that folder;", FlaskrSource.Missing(dir.Path), StringComparison.Ordinal);

        dir.Write("flaskr/__init__.py", "");

        Assert.Null(FlaskrSource.Missing(dir.Path));
    }
}
