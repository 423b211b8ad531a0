namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

public sealed class EnvFileTests
{
    [Fact]
    public void Reads_Names_And_Values_Skipping_Comments_And_Blank_Lines()
    {
        var parsed = EnvFile.Parse("# written by hoist setup\n\nDATABASE_URL=postgresql://app:pw@10.0.0.2:5432/db\nexport MODE = 'a b'\nQUOTED=\"x=y\"\r\nEMPTY=\n", ".env");

        Assert.Equal(
            [new("DATABASE_URL", "postgresql://app:pw@10.0.0.2:5432/db"), new("MODE", "a b"), new("QUOTED", "x=y"), new("EMPTY", "")],
            parsed);
    }

    [Fact]
    public void A_Bad_Line_Names_Its_Number_But_Never_Shows_The_Line()
    {
        var error = Assert.Throws<FormatException>(() => EnvFile.Parse("A=1\nsecret-password-here\n", "/srv/app/shared/.env"));

        Assert.Equal("/srv/app/shared/.env:2: not a NAME=value line (a name is letters, digits and '_', not starting with a digit)", error.Message);
    }
}
