namespace Hoist.Remote;

using Hoist.Config;
using Hoist.Core;
using Renci.SshNet;
using Renci.SshNet.Common;

/// <summary>Finds and opens the private key that authenticates to hosts.</summary>
internal static class SshKeys
{
    private static readonly string[] DefaultNames = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static IPrivateKeySource[] Load(SshConfig ssh)
    {
        var path = ssh.KeyPath ?? FindDefault();
        if (!File.Exists(path))
        {
            throw new HoistException($"ssh key {path} does not exist; set ssh.key in hoist.yml to your private key file");
        }

        try
        {
            return [new PrivateKeyFile(path)];
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            throw new HoistException(
                $"ssh key {path} is protected by a passphrase, which Hoist cannot ask for; " +
                "point ssh.key at a key without one (e.g. a deploy key made with ssh-keygen -N '')");
        }
        catch (Exception error) when (error is SshException or InvalidOperationException or ArgumentException)
        {
            throw new HoistException($"ssh key {path} could not be read: {error.Message}");
        }
    }

    private static string FindDefault()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        return DefaultNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
            ?? throw new HoistException(
                $"no ssh key found ({string.Join(", ", DefaultNames.Select(n => "~/.ssh/" + n))}); " +
                "make one with ssh-keygen -t ed25519, or set ssh.key in hoist.yml");
    }
}
