// Drafts survive: what the claim panel holds is kept in localStorage as it is typed, per
// article and user, so an Esc, a reload, a click in the menu or a crash loses nothing.

export function draftStore(user, articleId) {
  const key = `factcheck:draft:${user}:${articleId}`;
  return {
    load() {
      try {
        const draft = JSON.parse(window.localStorage.getItem(key));
        return draft && draft.values ? draft : null;
      } catch {
        return null; // storage disabled or a value from an older page: nothing to restore
      }
    },
    save(draft) {
      try {
        window.localStorage.setItem(key, JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
      } catch {
        // storage full or disabled: the page keeps working, only without the safety net
      }
    },
    clear() {
      try {
        window.localStorage.removeItem(key);
      } catch {
        // nothing stored
      }
    },
  };
}
