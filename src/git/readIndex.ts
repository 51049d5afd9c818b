import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/*
 * git's index file read directly, for the listing a hook needs on every commit: `git ls-files -s`
 * costs a process and the parse of its output, several times what reading the file costs. The
 * reader answers only when it is certain to say what `git ls-files -s -z` would; anything else
 * (a format, extension or value it does not know, a damaged file) is left to git, which also
 * reports its own errors. See `git help gitformat-index`.
 */

/**
 * One entry, as `git ls-files -s` prints it. `mode` is read as octal: 0o100644, 0o100755, 0o120000
 * (symlink), 0o160000 (submodule); `stage` 0, or 1–3 for the sides of a conflict; `path` decoded
 * as UTF-8, the way git's -z output is read elsewhere (invalid bytes become U+FFFD).
 */
export type IndexVisitor = (mode: number, oid: string, stage: number, path: string) => void;

/**
 * Visits the entries `git ls-files -s -z` lists for the worktree at `root` whose git dir is
 * `gitDir`, in the same order. False where git must answer instead (what was visited by then is
 * to be dropped).
 */
export function readIndex(root: string, gitDir: string, visit: IndexVisitor, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = indexFileOf(root, gitDir, env);
  if (!file) return false;
  try {
    // A device or a pipe (GIT_INDEX_FILE=/dev/zero) could be read without end: git decides.
    return statSync(file).isFile() && parseIndex(readFileSync(file), visit);
  } catch {
    // missing (git lists an empty index), unreadable, or too big to read or convert: git decides
    return false;
  }
}

/** The index file git would use: GIT_INDEX_FILE (hooks see the temporary index of `commit -a`), or the worktree's own. */
export function indexFileOf(root: string, gitDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // git resolves a relative GIT_DIR from its working directory, which need not be where gitDir was found.
  if (env.GIT_DIR !== undefined && !isAbsolute(env.GIT_DIR)) return undefined;
  const named = env.GIT_INDEX_FILE;
  // Relative to the directory git runs in: the top of the work tree, where listings run.
  if (named !== undefined) return named ? resolve(root, named) : undefined;
  return join(gitDir, 'index');
}

const SIGNATURE = 0x44495243; // "DIRC"
const HEADER = 12;
const STAT_DATA = 40;
const MODE_AT = 24;
const EXTENDED = 0x4000;
const STAGE_SHIFT = 12;
const NAME_MASK = 0xfff;
/** skip-worktree and intent-to-add: neither changes what ls-files -s prints. Other bits are unknown. */
const KNOWN_EXTENDED_FLAGS = 0x4000 | 0x2000;
// The modes git writes for files, symlinks and submodules: a sparse index's directories (040000)
// and anything odder go to git.
const REGULAR = 0o100644;
const EXECUTABLE = 0o100755;
export const SYMLINK = 0o120000;
export const SUBMODULE = 0o160000;
const SHA1_BYTES = 20;
const SHA256_BYTES = 32;

/**
 * Parses an index file (versions 2, 3, 4; SHA-1 or SHA-256), visiting its entries (no record
 * objects: a hook lists 10,000 of them). False unless every byte is accounted for: header,
 * entries in git's order, extensions that may be ignored (an extension whose name does not start
 * with A–Z changes what the entries mean: split index, sparse index), and a trailing checksum
 * that matches.
 */
export function parseIndex(data: Buffer, visit: IndexVisitor): boolean {
  if (data.length < HEADER || uint32(data, 0) !== SIGNATURE) return false;
  const version = uint32(data, 4);
  if (version !== 2 && version !== 3 && version !== 4) return false;
  // The checksum says which hash the repository uses, and that the file is whole. A zero
  // checksum (index.skipHash) says neither: git answers for those.
  const hashBytes = checksumMatches(data, SHA1_BYTES) ? SHA1_BYTES : checksumMatches(data, SHA256_BYTES) ? SHA256_BYTES : 0;
  if (!hashBytes) return false;
  const end = data.length - hashBytes;
  const count = uint32(data, 8);
  // This runs once a process, before V8 has compiled any of it: a few whole-file conversions cost
  // less than Buffer calls for every entry. Latin-1 keeps one character a byte, so offsets and
  // the order of names (memcmp order) carry over.
  const text = data.toString('latin1', 0, end);
  const hex = data.toString('hex', 0, end);
  let pos = HEADER;
  let prevName = '';
  let prevStage = 0;
  for (let i = 0; i < count; i++) {
    const flagsAt = pos + STAT_DATA + hashBytes;
    if (flagsAt + 2 > end) return false;
    // Every mode git writes fits the low 16 bits (and a call per entry costs, uncompiled).
    const modeAt = pos + MODE_AT;
    const mode = data[modeAt] === 0 && data[modeAt + 1] === 0 ? (data[modeAt + 2]! << 8) | data[modeAt + 3]! : 0;
    if (mode !== REGULAR && mode !== EXECUTABLE && mode !== SYMLINK && mode !== SUBMODULE) return false;
    const flags = (data[flagsAt]! << 8) | data[flagsAt + 1]!;
    let at = flagsAt + 2;
    if (flags & EXTENDED) {
      if (version < 3 || at + 2 > end || ((data[at]! << 8) | data[at + 1]!) & ~KNOWN_EXTENDED_FLAGS) return false;
      at += 2;
    }
    let name: string;
    let path: string;
    ASCII_NAME.lastIndex = at;
    if (version !== 4 && ASCII_NAME.test(text)) {
      // The common case, in one call: an ASCII name and its NUL.
      const nul = ASCII_NAME.lastIndex - 1;
      name = path = text.slice(at, nul);
      // 1–8 NULs pad the entry to a multiple of eight bytes (git does not read them).
      pos += (nul - pos + 8) & ~7;
    } else if (version !== 4) {
      const nul = text.indexOf('\0', at);
      if (nul < 0) return false;
      name = text.slice(at, nul);
      path = Buffer.from(name, 'latin1').toString('utf8');
      pos += (nul - pos + 8) & ~7;
    } else {
      // N bytes off the end of the previous name, then this entry's NUL-terminated rest of it.
      const strip = readOffsetVarint(data, at, end, prevName.length);
      if (!strip) return false;
      const nul = text.indexOf('\0', strip.next);
      if (nul < 0) return false;
      name = prevName.slice(0, prevName.length - strip.value) + text.slice(strip.next, nul);
      path = NOT_ASCII.test(name) ? Buffer.from(name, 'latin1').toString('utf8') : name;
      pos = nul + 1;
    }
    if (pos > end) return false;
    const length = flags & NAME_MASK;
    if (name.length === 0 || (length === NAME_MASK ? name.length < NAME_MASK : name.length !== length)) return false;
    // Sorted by name bytes, then stage; a name twice only for the stages of a conflict. git lists
    // a file out of that order as it stands, and other git commands refuse it: git's to answer.
    const stage = (flags >> STAGE_SHIFT) & 3;
    if (i > 0 && name <= prevName && (name !== prevName || prevStage === 0 || stage <= prevStage)) return false;
    visit(mode, hex.slice((flagsAt - hashBytes) * 2, flagsAt * 2), stage, path);
    prevName = name;
    prevStage = stage;
  }
  return extensionsIgnorable(data, pos, end);
}

/** A name of ASCII bytes up to its NUL, matched where lastIndex says. */
const ASCII_NAME = /[\x01-\x7f]*\x00/y;
const NOT_ASCII = /[^\x00-\x7f]/;

function uint32(data: Buffer, at: number): number {
  return ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
}

function checksumMatches(data: Buffer, hashBytes: number): boolean {
  if (data.length < HEADER + hashBytes) return false;
  const end = data.length - hashBytes;
  const hash = createHash(hashBytes === SHA1_BYTES ? 'sha1' : 'sha256')
    .update(data.subarray(0, end))
    .digest();
  return hash.equals(data.subarray(end));
}

/**
 * git's offset varint (as OFS_DELTA in packs): 7 bits a byte, high bit for "more", each further
 * byte adding one before the shift. Undefined past `end` or above `max` (more than the previous
 * name holds).
 */
function readOffsetVarint(data: Buffer, at: number, end: number, max: number): { value: number; next: number } | undefined {
  if (at >= end) return undefined;
  let byte = data[at++]!;
  let value = byte & 0x7f;
  while (byte & 0x80) {
    if (at >= end || value >= max) return undefined;
    byte = data[at++]!;
    value = ((value + 1) << 7) + (byte & 0x7f);
  }
  return value <= max ? { value, next: at } : undefined;
}

/** The extensions from `pos` fill the file up to the checksum, and each may be ignored (name starts with A–Z). */
function extensionsIgnorable(data: Buffer, pos: number, end: number): boolean {
  while (pos < end) {
    if (pos + 8 > end) return false;
    const first = data[pos]!;
    if (first < 0x41 || first > 0x5a) return false;
    pos += 8 + uint32(data, pos + 4);
  }
  return pos === end;
}
