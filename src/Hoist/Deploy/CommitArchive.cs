namespace Hoist.Deploy;

using Hoist.Core;

/// <summary>
/// <c>fetch: local</c>'s payload: <c>git archive</c> of the commit, written once by this machine's git into an unlinked
/// temporary file (<see cref="UnlinkedFile"/>) and streamed from there to every host, each at its own pace: memory stays
/// bounded whatever the repository's size, and a git that fails half way fails before any host got a byte.
/// </summary>
internal sealed class CommitArchive : IDisposable
{
    private readonly FileStream file;

    private CommitArchive(FileStream file) => this.file = file;

    public long Length => file.Length;

    public static async Task<CommitArchive> CreateAsync(LocalCommit commit, CancellationToken cancel)
    {
        var file = UnlinkedFile.Create("hoist-commit");
        try
        {
            var archive = await LocalGit.RunAsync([.. commit.GitDirectory, "archive", "--format=tar", commit.Commit], cancel, output: file).ConfigureAwait(false);
            if (!archive.Ok)
            {
                throw new HoistException($"git archive of {commit.Commit} ({commit.Repo}) failed on this machine{archive.Said}; nothing was changed on any host");
            }

            await file.FlushAsync(cancel).ConfigureAwait(false);
            return new CommitArchive(file);
        }
        catch (IOException e)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new HoistException($"cannot write the archive of {commit.Commit} into {Path.GetTempPath()}: {e.Message}; " +
                "free space there or point TMPDIR at a folder with room; nothing was changed on any host");
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Stream Open() => new PositionedReadStream(file.SafeFileHandle, file.Length);

    public void Dispose() => file.Dispose();
}
