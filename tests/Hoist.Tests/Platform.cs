// Hoist deploys to Linux and runs its tests on Linux (real sshd, bash, /proc).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
