namespace Hoist.Tests.Config;

using Hoist.Config;
using Hoist.Config.Loading;
using Hoist.Tests.Support;

/// <summary>ConfigLoader.Load with a destination: which file it reads, and what it says when that file is not right.</summary>
public sealed class ConfigLoaderDestinationTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private ConfigResult Load(string path, string? destination) => ConfigLoader.Load(path, TestConfig.Environment(), destination);

    [Fact]
    public void Reads_The_Overlay_Beside_Hoist_Yml()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal);
        var overlay = dir.Write("hoist.staging.yml", "deploy_to: /srv/staging");

        var config = Load(file, "staging").Config!;

        Assert.Equal("/srv/staging", config.DeployTo);
        Assert.Equal("staging", config.Destination);
        Assert.Equal(overlay, config.OverlayPath);
        Assert.Equal(file, config.ConfigPath);
        Assert.Equal($"{file} + hoist.staging.yml", config.Files);
    }

    [Fact]
    public void Without_Destination_The_Overlay_Is_Not_Read()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal);
        dir.Write("hoist.staging.yml", "deploy_to: /srv/staging");

        var config = Load(file, null).Config!;

        Assert.Equal("~/demo", config.DeployTo);
        Assert.Null(config.Destination);
        Assert.Null(config.OverlayPath);
        Assert.Equal(file, config.Files);
    }

    [Fact]
    public void With_A_Config_File_Reads_Its_Stem_Dot_Name_In_Its_Folder()
    {
        var file = dir.Write("deploy/app.yml", TestConfig.Minimal);
        dir.Write("deploy/app.staging.yml", "deploy_to: /srv/app-staging");
        dir.Write("hoist.staging.yml", "deploy_to: /wrong");

        Assert.Equal("/srv/app-staging", Load(file, "staging").Config!.DeployTo);
    }

    [Fact]
    public void With_A_Folder_Reads_Hoist_Dot_Name_In_It()
    {
        dir.Write("deploy/hoist.yml", TestConfig.Minimal);
        dir.Write("deploy/hoist.staging.yml", "deploy_to: /srv/in-folder");

        Assert.Equal("/srv/in-folder", Load(dir.Combine("deploy"), "staging").Config!.DeployTo);
    }

    [Fact]
    public void Missing_Overlay_Names_The_Path_And_The_Fix()
    {
        var file = dir.Write("deploy/app.yml", TestConfig.Minimal);

        var error = Assert.Single(Load(file, "staging").Errors).ToString();

        Assert.Equal(
            $"{dir.Combine("deploy/app.staging.yml")}: not found: -d staging merges app.staging.yml over app.yml, from the same folder; " +
            "create it with the settings that differ in staging (see examples/hoist.example.yml), or leave out -d",
            error);
    }

    [Fact]
    public void Bad_Name_Is_Refused_Before_Any_File_Is_Read()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal);

        var error = Assert.Single(Load(file, "../x").Errors).ToString();

        Assert.StartsWith("-d/--destination: '../x' is not a destination name", error);
    }

    [Fact]
    public void Empty_Overlay_File_Changes_Nothing()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal);
        dir.Write("hoist.staging.yml", "");

        Assert.Equal("~/demo", Load(file, "staging").Config!.DeployTo);
    }

    [Fact]
    public void Overlay_Larger_Than_The_Config_Limit_Is_Refused()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal);
        var overlay = dir.Write("hoist.staging.yml", "# " + new string('x', ConfigFile.MaxBytes));

        var error = Assert.Single(Load(file, "staging").Errors);

        Assert.Equal(overlay, error.File);
        Assert.Contains("the most a config file may be", error.Message);
    }

    [Fact]
    public void Overlay_That_Is_A_Folder_Or_Binary_Is_Refused_Naming_It()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal);
        var overlay = dir.Write("hoist.bin.yml", "a: \0");
        Directory.CreateDirectory(dir.Combine("hoist.dir.yml"));

        Assert.Equal($"{overlay}:1:4: the file holds a NUL byte here, so it is not text (a binary file?); hoist.yml must be UTF-8 text", Assert.Single(Load(file, "bin").Errors).ToString());
        Assert.Equal($"{dir.Combine("hoist.dir.yml")}: is a folder; -d dir reads the file hoist.dir.yml", Assert.Single(Load(file, "dir").Errors).ToString());
    }

    [Fact]
    public void Errors_Name_Each_File_As_The_User_Named_It()
    {
        var file = dir.Write("hoist.yml", TestConfig.Minimal + "\nkeep_releases: x");
        dir.Write("hoist.staging.yml", "hostz: 1");

        var errors = Load(file, "staging").Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(
            [
                $"{file}:5:16: keep_releases: expected an integer, got 'x'",
                $"{dir.Combine("hoist.staging.yml")}:1:1: hostz: unknown key 'hostz'; did you mean 'hosts'?",
            ],
            errors);
    }
}
