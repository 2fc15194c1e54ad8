#!/usr/bin/python3
"""powercut_fs: a FUSE file system that keeps only what the strict POSIX crash model promises.

    /usr/bin/python3 powercut_fs.py BACKING MOUNTPOINT

MOUNTPOINT shows the live state; BACKING holds, at every moment, exactly the durable state:

- file data written is kept in this process's memory; fsync/fdatasync of a file writes that file's
  current data to BACKING/.inodes/<id>, the durable copy of the inode;
- a created, renamed or removed name is durable only once its directory is fsynced: fsyncdir makes the
  directory's names in BACKING (hard links to .inodes/<id>) equal to the live ones.

A power cut is SIGKILL of this process (all that was not durable dies with it) and `fusermount -uz`;
the next mount starts from BACKING. Needs Debian's python3-fusepy (module fusepy, libfuse2).
"""

import errno
import logging
import os
import shutil
import stat
import subprocess
import sys
import threading
import time

from fusepy import FUSE, FuseOSError

INODES = ".inodes"
ROOT = 1


class Inode:
    """A file or directory of the live file system, with what of it is durable."""

    __slots__ = ("id", "mode", "nlink", "data", "size", "durable", "dirty_from", "children",
                 "durable_children", "durable_parent", "pending_dir", "opened", "atime", "mtime", "ctime")

    def __init__(self, inode_id, mode):
        now = time.time_ns()
        self.id = inode_id
        self.mode = mode
        self.nlink = 0                 # live names (files); directories report 2
        self.data = None               # bytearray once loaded; None: the durable copy is the content
        self.size = 0                  # content length while data is not loaded
        self.durable = False           # BACKING/.inodes/<id> exists
        self.dirty_from = None         # lowest offset changed since the last fsync
        self.children = None           # directories: live name -> inode id
        self.durable_children = None   # directories: name -> inode id as BACKING holds them
        self.durable_parent = None     # directories: (parent id, name) of the durable name in BACKING
        self.pending_dir = False       # directories: synced before being named, held in .inodes/dir-<id>
        self.opened = 0
        self.atime = self.mtime = self.ctime = now

    @property
    def is_dir(self):
        return stat.S_ISDIR(self.mode)

    def length(self):
        return len(self.data) if self.data is not None else self.size


class PowerCutFs:
    """The operations fusepy calls; one lock serialises them (simplicity beats speed in a test tool)."""

    use_ns = True

    def __init__(self, backing):
        self.backing = os.path.abspath(backing)
        self.mutex = threading.Lock()
        self.inodes = {}
        self.handles = {}
        self.next_handle = 1
        self.next_id = ROOT + 1
        self.load()

    def __call__(self, op, *args):
        method = getattr(self, op, None)
        if method is None:
            raise FuseOSError(errno.ENOSYS)
        with self.mutex:
            return method(*args)

    # ---- loading BACKING: its names are both the live and the durable state ----

    def load(self):
        store = os.path.join(self.backing, INODES)
        os.makedirs(store, exist_ok=True)
        by_host_ino = {}
        for entry in os.listdir(store):
            path = os.path.join(store, entry)
            if entry.isdigit() and os.path.isfile(path):
                by_host_ino[os.stat(path).st_ino] = int(entry)
                self.next_id = max(self.next_id, int(entry) + 1)
            elif os.path.isdir(path):
                # A directory synced but never named durably: unreachable after the cut.
                shutil.rmtree(path)
        root = Inode(ROOT, stat.S_IFDIR | 0o755)
        self.inodes[ROOT] = root
        self.load_dir(root, self.backing, by_host_ino)
        for entry in os.listdir(store):
            path = os.path.join(store, entry)
            # No durable name links to it: a file never named durably, or whose last name was removed.
            if entry.isdigit() and os.stat(path).st_nlink == 1:
                os.unlink(path)

    def load_dir(self, inode, host_path, by_host_ino):
        inode.children = {}
        inode.durable_children = {}
        for name in os.listdir(host_path):
            if inode.id == ROOT and name == INODES:
                continue
            path = os.path.join(host_path, name)
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode):
                child = self.new_inode(stat.S_IFDIR | stat.S_IMODE(st.st_mode))
                child.durable_parent = (inode.id, name)
                self.load_dir(child, path, by_host_ino)
            elif stat.S_ISREG(st.st_mode):
                child_id = by_host_ino.get(st.st_ino)
                if child_id is None:
                    # A file put into BACKING by hand: give it an inode of its own.
                    child = self.new_inode(stat.S_IFREG | stat.S_IMODE(st.st_mode))
                    os.link(path, self.inode_path(child.id))
                    by_host_ino[st.st_ino] = child.id
                elif child_id in self.inodes:
                    child = self.inodes[child_id]
                else:
                    child = Inode(child_id, stat.S_IFREG | stat.S_IMODE(st.st_mode))
                    self.inodes[child_id] = child
                child.durable = True
                child.size = st.st_size
                child.mtime = child.ctime = st.st_mtime_ns
            else:
                continue
            child.nlink += 1
            inode.children[name] = child.id
            inode.durable_children[name] = child.id

    # ---- helpers ----

    def new_inode(self, mode):
        inode = Inode(self.next_id, mode)
        self.next_id += 1
        self.inodes[inode.id] = inode
        if inode.is_dir:
            inode.children = {}
            inode.durable_children = {}
        return inode

    def inode_path(self, inode_id):
        return os.path.join(self.backing, INODES, str(inode_id))

    def resolve(self, path):
        inode = self.inodes[ROOT]
        for part in path.split("/"):
            if not part:
                continue
            if not inode.is_dir:
                raise FuseOSError(errno.ENOTDIR)
            child = inode.children.get(part)
            if child is None:
                raise FuseOSError(errno.ENOENT)
            inode = self.inodes[child]
        return inode

    def parent_and_name(self, path):
        head, name = os.path.split(path.rstrip("/"))
        parent = self.resolve(head)
        if not parent.is_dir:
            raise FuseOSError(errno.ENOTDIR)
        return parent, name

    def by_handle(self, path, fh):
        if fh is not None and fh in self.handles:
            return self.inodes[self.handles[fh]]
        if path is None:
            raise FuseOSError(errno.EBADF)
        return self.resolve(path)

    def open_handle(self, inode):
        fh = self.next_handle
        self.next_handle += 1
        self.handles[fh] = inode.id
        inode.opened += 1
        return fh

    def load_data(self, inode):
        if inode.data is None:
            inode.data = bytearray()
            if inode.durable:
                with open(self.inode_path(inode.id), "rb") as f:
                    inode.data = bytearray(f.read())
        return inode.data

    def mark_dirty(self, inode, offset):
        inode.dirty_from = offset if inode.dirty_from is None else min(inode.dirty_from, offset)
        inode.mtime = inode.ctime = time.time_ns()

    def forget_if_unused(self, inode):
        if inode.id != ROOT and inode.nlink == 0 and inode.opened == 0:
            self.inodes.pop(inode.id, None)

    def detach(self, parent, name):
        """Removes a live name; the inode goes once no name and no handle holds it."""
        child = self.inodes[parent.children.pop(name)]
        child.nlink -= 1
        child.ctime = parent.mtime = time.time_ns()
        self.forget_if_unused(child)

    # ---- durability ----

    def sync_file(self, inode):
        if inode.is_dir:
            return self.sync_dir(inode)
        if inode.durable and inode.dirty_from is None:
            return
        data = self.load_data(inode)
        path = self.inode_path(inode.id)
        if not inode.durable:
            with open(path, "wb") as f:
                f.write(data)
            inode.durable = True
        else:
            with open(path, "r+b") as f:
                f.seek(inode.dirty_from)
                f.write(data[inode.dirty_from:])
                f.truncate(len(data))
        inode.dirty_from = None

    def host_dir(self, inode):
        """Where BACKING holds a directory's durable names, or None when it has none yet."""
        if inode.id == ROOT:
            return self.backing
        if inode.pending_dir:
            return os.path.join(self.backing, INODES, "dir-%d" % inode.id)
        if inode.durable_parent is None:
            return None
        parent_id, name = inode.durable_parent
        parent_host = self.host_dir(self.inodes[parent_id]) if parent_id in self.inodes else None
        return os.path.join(parent_host, name) if parent_host else None

    def sync_dir(self, inode):
        host = self.host_dir(inode)
        if host is None:
            # Its entries become durable now, its own name only when its parent is synced.
            inode.pending_dir = True
            host = self.host_dir(inode)
            os.mkdir(host)
        # New names first, removals last: a cut in between leaves too many names, never a renamed file gone.
        for name, child_id in inode.children.items():
            if inode.durable_children.get(name) == child_id:
                continue
            self.add_durable_name(inode, host, name, self.inodes[child_id])
        for name in [n for n, c in inode.durable_children.items() if inode.children.get(n) != c]:
            self.remove_durable_name(inode, host, name)

    def add_durable_name(self, parent, host, name, child):
        target = os.path.join(host, name)
        old = parent.durable_children.get(name)
        if child.is_dir:
            if old is not None:
                self.remove_durable_name(parent, host, name)
            source = self.host_dir(child)
            if source is None:
                os.mkdir(target, stat.S_IMODE(child.mode))
            else:
                os.rename(source, target)
                if child.durable_parent is not None:
                    old_parent = self.inodes.get(child.durable_parent[0])
                    if old_parent is not None:
                        old_parent.durable_children.pop(child.durable_parent[1], None)
            child.pending_dir = False
            child.durable_parent = (parent.id, name)
        else:
            if not child.durable:
                # Named durably before its data was ever synced: after a cut it is there, empty.
                open(self.inode_path(child.id), "wb").close()
                child.durable = True
                if child.data is None:
                    child.data = bytearray()
                if child.data:
                    child.dirty_from = 0
            if old is not None and self.inodes.get(old) is not None and self.inodes[old].is_dir:
                self.remove_durable_name(parent, host, name)
                old = None
            if old is None:
                os.link(self.inode_path(child.id), target)
            else:
                temp = os.path.join(host, ".powercut-%d" % child.id)
                os.link(self.inode_path(child.id), temp)
                os.rename(temp, target)
        parent.durable_children[name] = child.id

    def remove_durable_name(self, parent, host, name):
        child_id = parent.durable_children.pop(name)
        path = os.path.join(host, name)
        if os.path.isdir(path) and not os.path.islink(path):
            child = self.inodes.get(child_id)
            if child is not None and child.durable_parent == (parent.id, name) and child.nlink > 0:
                # Still alive under another name not yet synced: keep its durable entries aside.
                os.rename(path, os.path.join(self.backing, INODES, "dir-%d" % child.id))
                child.pending_dir = True
                child.durable_parent = None
            else:
                shutil.rmtree(path)
                if child is not None:
                    child.durable_parent = None
        elif os.path.lexists(path):
            os.unlink(path)

    # ---- FUSE operations ----

    def init(self, path):
        print("powercut_fs: mounted", flush=True)

    def getattr(self, path, fh=None):
        inode = self.by_handle(path, fh)
        size = 4096 if inode.is_dir else inode.length()
        return {
            "st_mode": inode.mode, "st_ino": inode.id, "st_nlink": 2 if inode.is_dir else max(inode.nlink, 0),
            "st_size": size, "st_blocks": (size + 511) // 512, "st_blksize": 4096,
            "st_uid": os.getuid(), "st_gid": os.getgid(),
            "st_atime": inode.atime, "st_mtime": inode.mtime, "st_ctime": inode.ctime,
        }

    def access(self, path, amode):
        self.resolve(path)
        return 0

    def statfs(self, path):
        sv = os.statvfs(self.backing)
        return {k: getattr(sv, k) for k in ("f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail",
                                            "f_files", "f_ffree", "f_favail", "f_flag", "f_namemax")}

    def opendir(self, path):
        inode = self.resolve(path)
        if not inode.is_dir:
            raise FuseOSError(errno.ENOTDIR)
        return self.open_handle(inode)

    def readdir(self, path, fh):
        inode = self.by_handle(path, fh)
        return [".", ".."] + list(inode.children)

    def releasedir(self, path, fh):
        return self.release(path, fh)

    def fsyncdir(self, path, datasync, fh):
        self.sync_dir(self.by_handle(path, fh))
        return 0

    def mkdir(self, path, mode):
        parent, name = self.parent_and_name(path)
        if name in parent.children:
            raise FuseOSError(errno.EEXIST)
        child = self.new_inode(stat.S_IFDIR | (mode & 0o7777))
        child.nlink = 1
        parent.children[name] = child.id
        parent.mtime = time.time_ns()
        return 0

    def rmdir(self, path):
        parent, name = self.parent_and_name(path)
        child = self.resolve(path)
        if not child.is_dir:
            raise FuseOSError(errno.ENOTDIR)
        if child.children:
            raise FuseOSError(errno.ENOTEMPTY)
        self.detach(parent, name)
        return 0

    def create(self, path, mode, fi=None):
        parent, name = self.parent_and_name(path)
        existing = parent.children.get(name)
        if existing is not None:
            return self.open_handle(self.inodes[existing])
        child = self.new_inode(stat.S_IFREG | (mode & 0o7777))
        child.data = bytearray()
        child.nlink = 1
        parent.children[name] = child.id
        parent.mtime = time.time_ns()
        return self.open_handle(child)

    def open(self, path, flags):
        inode = self.resolve(path)
        if flags & os.O_TRUNC and inode.length() > 0:
            self.truncate(path, 0)
        return self.open_handle(inode)

    def read(self, path, size, offset, fh):
        inode = self.by_handle(path, fh)
        data = self.load_data(inode)
        return bytes(data[offset:offset + size])

    def write(self, path, buf, offset, fh):
        inode = self.by_handle(path, fh)
        data = self.load_data(inode)
        if offset > len(data):
            data.extend(bytes(offset - len(data)))
        data[offset:offset + len(buf)] = buf
        self.mark_dirty(inode, offset)
        return len(buf)

    def truncate(self, path, length, fh=None):
        inode = self.by_handle(path, fh)
        data = self.load_data(inode)
        changed_from = min(length, len(data))
        if length < len(data):
            del data[length:]
        else:
            data.extend(bytes(length - len(data)))
        self.mark_dirty(inode, changed_from)
        return 0

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        inode_id = self.handles.pop(fh, None)
        inode = self.inodes.get(inode_id) if inode_id is not None else None
        if inode is not None:
            inode.opened -= 1
            self.forget_if_unused(inode)
        return 0

    def fsync(self, path, datasync, fh):
        self.sync_file(self.by_handle(path, fh))
        return 0

    def unlink(self, path):
        parent, name = self.parent_and_name(path)
        if name not in parent.children:
            raise FuseOSError(errno.ENOENT)
        if self.inodes[parent.children[name]].is_dir:
            raise FuseOSError(errno.EISDIR)
        self.detach(parent, name)
        return 0

    def rename(self, old, new):
        old_parent, old_name = self.parent_and_name(old)
        new_parent, new_name = self.parent_and_name(new)
        if old_name not in old_parent.children:
            raise FuseOSError(errno.ENOENT)
        moving = self.inodes[old_parent.children[old_name]]
        replaced_id = new_parent.children.get(new_name)
        if replaced_id == moving.id:
            return 0
        if replaced_id is not None:
            replaced = self.inodes[replaced_id]
            if replaced.is_dir != moving.is_dir:
                raise FuseOSError(errno.EISDIR if replaced.is_dir else errno.ENOTDIR)
            if replaced.is_dir and replaced.children:
                raise FuseOSError(errno.ENOTEMPTY)
            self.detach(new_parent, new_name)
        del old_parent.children[old_name]
        new_parent.children[new_name] = moving.id
        old_parent.mtime = new_parent.mtime = moving.ctime = time.time_ns()
        return 0

    def link(self, target, source):
        inode = self.resolve(source)
        if inode.is_dir:
            raise FuseOSError(errno.EPERM)
        parent, name = self.parent_and_name(target)
        if name in parent.children:
            raise FuseOSError(errno.EEXIST)
        parent.children[name] = inode.id
        inode.nlink += 1
        inode.ctime = time.time_ns()
        return 0

    def utimens(self, path, times=None):
        inode = self.resolve(path)
        now = time.time_ns()
        inode.atime, inode.mtime = times if times else (now, now)
        return 0

    def chmod(self, path, mode):
        inode = self.resolve(path)
        inode.mode = (inode.mode & ~0o7777) | (mode & 0o7777)
        return 0

    def chown(self, path, uid, gid):
        self.resolve(path)
        return 0


def unmount_when_orphaned(mountpoint):
    """A harness that dies without cutting the power (a CI timeout) must not leave a mount or a daemon behind."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        subprocess.run(["fusermount", "-uz", mountpoint], timeout=10, check=False)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="powercut_fs: %(message)s")
    backing, mountpoint = sys.argv[1], sys.argv[2]
    os.makedirs(backing, exist_ok=True)
    unmount_when_orphaned(os.path.abspath(mountpoint))
    # hard_remove: an unlinked open file really loses its name (no .fuse_hidden files in the namespace);
    # big_writes: 128 KiB writes instead of 4 KiB, which keeps Python's share of the time down.
    FUSE(PowerCutFs(backing), mountpoint, foreground=True, nothreads=False, hard_remove=True,
         use_ino=True, big_writes=True, max_write=131072, fsname="powercutfs", subtype="powercut")
    return 0


if __name__ == "__main__":
    sys.exit(main())
