namespace Hoist.Tests.Shell;

using Hoist.Shell;

public sealed class CommandWordsTests
{
    [Fact]
    public void One_Word_Is_The_Hosts_Shell_Line_As_Written() =>
        Assert.Equal("ls | wc -l; echo \"$HOME\"", CommandWords.Join(["ls | wc -l; echo \"$HOME\""]));

    [Fact]
    public void Several_Words_Are_Quoted_One_By_One() =>
        Assert.Equal("python3 -c 'print(\"a  b\")' '$HOME' 'it'\\''s' ''",
            CommandWords.Join(["python3", "-c", "print(\"a  b\")", "$HOME", "it's", ""]));

    [Fact]
    public void Plain_Words_Stay_Readable() =>
        Assert.Equal("python3 manage.py createsuperuser --username=admin",
            CommandWords.Join(["python3", "manage.py", "createsuperuser", "--username=admin"]));
}
