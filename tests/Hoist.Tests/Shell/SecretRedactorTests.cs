namespace Hoist.Tests.Shell;

using Hoist.Shell;
using Hoist.Tests.Support;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Hides_Every_Value_Longest_First_And_The_Password_Inside_A_Url_Value()
    {
        var redactor = SecretRedactor.For(["postgresql://app:Abc123pw9@10.0.0.3:5432/mydb", "s3cr3t value", "s3cr3t"]);

        Assert.Equal(
            "db [REDACTED], key [REDACTED] and [REDACTED], password [REDACTED] alone",
            redactor.Redact("db postgresql://app:Abc123pw9@10.0.0.3:5432/mydb, key s3cr3t value and s3cr3t, password Abc123pw9 alone"));
    }

    [Fact]
    public void Hides_The_Password_Of_Any_Url_But_Not_A_Port_Or_Path()
    {
        var text = SecretRedactor.None.Redact("to postgres://u:hunter2@db/x and amqp://guest:pw@mq, not http://host:8080/a?mail=x@y nor a:b@c");

        Assert.Equal("to postgres://u:[REDACTED]@db/x and amqp://guest:[REDACTED]@mq, not http://host:8080/a?mail=x@y nor a:b@c", text);
    }

    [Fact]
    public void Leaves_Values_Shorter_Than_4_Characters_Alone()
    {
        Assert.Equal(4, SecretRedactor.MinLength);
        Assert.Equal("DEBUG=1 on, [REDACTED]", SecretRedactor.For(["1", "on", "abc", "abcd"]).Redact("DEBUG=1 on, abcd"));
    }

    [Fact]
    public void Reads_The_Env_File_Through_The_One_Parser()
    {
        using var dir = new TempDir("hoist-redactor");
        var env = dir.Write(".env", "export SECRET_KEY = 'k3y value'\r\nTOKEN=\"t0ken\"\r\n# c\r\n");

        Assert.Equal("[REDACTED] [REDACTED] 'x'", SecretRedactor.FromEnvFile(env).Redact("k3y value t0ken 'x'"));
    }

    [Fact]
    public void Hides_A_Value_Escaped_As_Python_Repr_And_Json_Write_It()
    {
        var redactor = SecretRedactor.For([@"tok'en\with\slashes99", "say \"hi\" now"]);

        Assert.Equal(
            "repr: \"[REDACTED]\", json: {\"t\": \"[REDACTED]\"}, repr2: '[REDACTED]', quoted: \"[REDACTED]\"",
            redactor.Redact(@"repr: ""tok'en\\with\\slashes99"", json: {""t"": ""tok'en\\with\\slashes99""}, repr2: 'tok\'en\\with\\slashes99', quoted: ""say \""hi\"" now"""));
    }

    [Fact]
    public void Hides_A_Url_Password_Percent_Decoded_And_A_Value_Percent_Encoded()
    {
        var redactor = SecretRedactor.For(["postgres://app:p%40ssw0rd@db/app", "a b/c&d"]);

        Assert.Equal(
            "connecting with password [REDACTED], query key=[REDACTED]",
            redactor.Redact("connecting with password p@ssw0rd, query key=a%20b%2Fc%26d"));
    }
}
