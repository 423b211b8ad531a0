namespace Hoist.Remote;

using Hoist.Core;
using Renci.SshNet;
using Renci.SshNet.Common;

/// <summary>Finds and opens the private key file that authenticates to hosts when the agent does not.</summary>
internal static class SshKeyFile
{
    public static readonly string[] DefaultNames = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static string DefaultList => string.Join(", ", DefaultNames.Select(n => "~/.ssh/" + n));

    /// <summary>The first default key in ~/.ssh, or null when there is none.</summary>
    public static string? FindDefault()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        return DefaultNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The key at <paramref name="path"/>; null for a passphrase-protected key when <paramref name="agentHasKeys"/>,
    /// since such keys are what an agent is for and Hoist cannot ask for the passphrase.
    /// </summary>
    public static PrivateKeyFile? Open(string path, bool agentHasKeys)
    {
        if (!File.Exists(path))
        {
            throw new HoistException($"ssh key {path} does not exist; set ssh.key in hoist.yml to your private key file");
        }

        try
        {
            return new PrivateKeyFile(path);
        }
        catch (SshPassPhraseNullOrEmptyException) when (agentHasKeys)
        {
            return null;
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            throw new HoistException(
                $"ssh key {path} is protected by a passphrase, which Hoist cannot ask for; add it to ssh-agent with " +
                "ssh-add, or point ssh.key at a key without one (e.g. a deploy key made with ssh-keygen -N '')");
        }
        catch (Exception error) when (error is SshException or InvalidOperationException or ArgumentException)
        {
            throw new HoistException($"ssh key {path} could not be read: {error.Message}");
        }
    }
}
