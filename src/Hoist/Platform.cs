// Hoist runs on Linux and macOS-like Unix only: it drives bash, tar and POSIX file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
