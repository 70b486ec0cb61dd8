import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';

interface ResetEmailProps {
  username: string;
  link: string;
}

function ResetEmailBody({ username, link }: ResetEmailProps) {
  return (
    <div>
      <p>Dear {username},</p>
      <p>
        <a href={link}>Reset your password</a> within 15 minutes.
      </p>
      <p>Or paste this link into your browser:</p>
      <p>{link}</p>
      <p>If you did not ask for a password reset, ignore this message.</p>
      <p>The Microblog Team</p>
    </div>
  );
}

/** The reset email as text and HTML; the HTML is escaped by Preact like every page. */
export function resetPasswordEmail({ username, link }: ResetEmailProps) {
  return {
    subject: '[Microblog] Reset Your Password',
    text: `Dear ${username},\n\nTo reset your password, open this link within 15 minutes:\n\n${link}\n\nIf you did not ask for a password reset, ignore this message.\n\nThe Microblog Team\n`,
    html: renderToString(h(ResetEmailBody, { username, link })),
  };
}
