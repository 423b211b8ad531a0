namespace Hoist.Deploy;

/// <summary>What an upload sends: regular files, folders and symbolic links; nothing else is ever opened or sent.</summary>
internal enum UploadEntryKind
{
    File,
    Folder,
    Link,
}
