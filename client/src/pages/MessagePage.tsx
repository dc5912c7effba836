export function MessagePage({ title, body }: { title: string; body: string }) {
  return (
    <main className="page page-narrow">
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a href="/">Back to your boards</a>
      </p>
    </main>
  )
}
