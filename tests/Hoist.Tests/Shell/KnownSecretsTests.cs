namespace Hoist.Tests.Shell;

using Hoist.Shell;

public sealed class KnownSecretsTests
{
    [Fact]
    public void A_Secret_Is_Known_From_The_Moment_It_Exists()
    {
        const string value = "kn0wn-from-birth-4411";
        Assert.Equal($"key={value}", KnownSecrets.Redact($"key={value}"));

        _ = new Secret(value);

        Assert.Equal("key=[REDACTED] and x[REDACTED]y", KnownSecrets.Redact($"key={value} and x{value}y"));
    }

    [Fact]
    public void Added_Values_Are_Hidden_In_The_Forms_Apps_Print_Them()
    {
        KnownSecrets.AddRange(["a/b c'd-7731", ""]);

        Assert.Equal("[REDACTED] [REDACTED] [REDACTED]", KnownSecrets.Redact(@"a/b c'd-7731 a%2Fb%20c%27d-7731 a/b c\'d-7731"));
    }

    [Fact]
    public void Any_Url_Password_Is_Hidden_Even_Unknown()
    {
        Assert.Equal("git clone https://me:[REDACTED]@example.com/x.git", KnownSecrets.Redact("git clone https://me:ghp_T0ken@example.com/x.git"));
    }
}
