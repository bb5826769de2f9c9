import { Link, useRoute } from 'wouter';

/** The views of one flag; links (not ARIA tabs) because each view has its own address. */
export function FlagTabs({ name }: { name: string }) {
  const base = `/flags/${encodeURIComponent(name)}`;
  const views = [
    { href: base, label: 'Definition' },
    { href: `${base}/evaluate`, label: 'Evaluate' },
    { href: `${base}/history`, label: 'History' },
  ];
  return (
    <nav aria-label={`Flag ${name}`} className="tabs">
      {views.map((v) => (
        <TabLink key={v.href} href={v.href} label={v.label} />
      ))}
    </nav>
  );
}

function TabLink({ href, label }: { href: string; label: string }) {
  const [active] = useRoute(href);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {label}
    </Link>
  );
}
