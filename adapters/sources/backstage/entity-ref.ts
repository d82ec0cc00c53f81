/** A Backstage entity reference, normalised as `stringifyEntityRef` does (lower case). */
export interface EntityRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

const refPattern = /^(?:([^:/\s]+):)?(?:([^:/\s]+)\/)?([^:/\s]+)$/;

/**
 * Parses `[kind:][namespace/]name` or `{kind, namespace, name}`. The default kind depends on the field
 * (`spec.owner` defaults to Group, `providesApis` to API) and the default namespace is the containing entity's.
 */
export function parseEntityRef(value: unknown, defaults: { kind: string; namespace: string }): EntityRef | null {
  if (typeof value === 'string') {
    const match = refPattern.exec(value.trim());
    if (!match) return null;
    const [, kind, namespace, name] = match;
    return { kind: (kind ?? defaults.kind).toLowerCase(), namespace: (namespace ?? defaults.namespace).toLowerCase(), name: (name ?? '').toLowerCase() };
  }
  if (value !== null && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
    const { kind, namespace, name } = value as { kind?: unknown; namespace?: unknown; name: string };
    return {
      kind: (typeof kind === 'string' ? kind : defaults.kind).toLowerCase(),
      namespace: (typeof namespace === 'string' ? namespace : defaults.namespace).toLowerCase(),
      name: name.toLowerCase(),
    };
  }
  return null;
}

export function stringifyEntityRef(ref: EntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

/** Steward's ref or slug for an entity: its name, qualified by namespace outside `default`. */
export function localName(ref: Pick<EntityRef, 'namespace' | 'name'>): string {
  return ref.namespace === 'default' ? ref.name : `${ref.namespace}/${ref.name}`;
}
