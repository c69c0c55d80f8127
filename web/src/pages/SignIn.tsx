// Sign in with an API key; it is kept in this tab's session storage only.
import { useState } from "preact/hooks";
import { ApiError, get, storeToken } from "../api";

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    storeToken(key.trim());
    try {
      await get("/models");
      onSignedIn();
    } catch (failure) {
      storeToken(null);
      setError(failure instanceof ApiError && failure.status === 401 ? "That key is not valid." : String((failure as Error).message));
    }
  };
  return (
    <main class="signin">
      <h1>telltale</h1>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="current-password" value={key} required
          onInput={(e) => setKey(e.currentTarget.value)} />
        <p class="muted">A key with the read or admin role (the first start writes the admin key to DATA_DIR/admin.key).</p>
        <button type="submit">Sign in</button>
        {error && <p class="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}
