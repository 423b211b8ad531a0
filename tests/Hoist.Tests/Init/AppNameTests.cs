namespace Hoist.Tests.Init;

using Hoist.Init;

public sealed class AppNameTests
{
    [Theory]
    [InlineData("myproject", "myproject")]
    [InlineData("My Project", "my-project")]
    [InlineData("2048-game", "game")]
    [InlineData("shop.api", "shop-api")]
    [InlineData("___", "app")]
    [InlineData("a_very_long_folder_name_that_goes_past_thirty_two", "a_very_long_folder_name_that_goe")]
    [InlineData("naïve", "na-ve")]
    public void Makes_A_Folder_Name_Valid(string folder, string app) => Assert.Equal(app, AppName.From(folder));

    [Theory]
    [InlineData("shop", true)]
    [InlineData("Shop", false)]
    [InlineData("1shop", false)]
    [InlineData("shop.api", false)]
    public void Tells_A_Valid_Name(string name, bool valid) => Assert.Equal(valid, AppName.IsValid(name));
}
