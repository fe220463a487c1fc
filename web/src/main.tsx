import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { createClient } from './apollo';
import { AuthProvider } from './auth';
import { I18nProvider } from './i18n';
import { App } from './App';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <AuthProvider>
        <ApolloProvider client={createClient()}>
          <App />
        </ApolloProvider>
      </AuthProvider>
    </I18nProvider>
  </StrictMode>,
);
